// The kit's class file format for Decap CMS: a `Field: value` header exactly as
// berbagi/classfile.py reads it, a blank line, then the Markdown body. Pages use it too (their
// `Title:`/`Slug:` header is Pelican's). window.BERBAGI_CLASS_FILE (written in front of this
// file by berbagi.cms.format_script) holds the field list, so Python's list is the only one.
(function () {
  "use strict";
  var kit = window.BERBAGI_CLASS_FILE;
  var HEADER_LINE = /^([A-Za-z][A-Za-z0-9_]*):(.*)$/;
  var CLOCK = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

  function isRepeatable(key) {
    return kit.repeatable.indexOf(key) !== -1;
  }

  // One line, as the header needs: every run of white space (line breaks included) is one space.
  function oneLine(value) {
    if (value === undefined || value === null) return "";
    return String(value).replace(/[\s\u2028\u2029\u200b\ufeff]+/g, " ").trim();
  }

  function nameOf(key) {
    return kit.names[key] || key.split("_").map(function (part) {
      return part.charAt(0).toUpperCase() + part.slice(1);
    }).join("_");
  }

  // `Name | handles | bio` from {name, handles, bio}; empty parts at the end are left out.
  function joinParts(key, item) {
    var names = kit.parts[key];
    var parts = names.map(function (name) {
      var text = oneLine(item && item[name]);
      // The kit tells a photo's focus point from its alt text by the word "focus".
      if (name === "focus" && text && !/^focus\b/i.test(text)) text = "focus " + text;
      return text;
    });
    while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    // A `|` inside a part before the last would start the next part when the kit reads it.
    parts = parts.map(function (text, index) {
      return index < parts.length - 1 ? text.replace(/\|/g, "/") : text;
    });
    return parts.join(" | ").replace(/\| {2}\|/g, "| |").trim();
  }

  function splitParts(key, value) {
    var names = kit.parts[key];
    var rest = value;
    var item = {};
    // As the kit reads a Photo line: a last part starting with "focus" is the focus point, and
    // anything else after the path is the alt text, which may hold a "|" of its own.
    if (names[names.length - 1] === "focus") {
      var lastBar = rest.lastIndexOf("|");
      var tail = lastBar === -1 ? "" : rest.slice(lastBar + 1).trim();
      var isFocus = /^focus\b/i.test(tail);
      item.focus = isFocus ? tail.replace(/^focus\s*/i, "") : "";
      if (isFocus) rest = rest.slice(0, lastBar);
      names = names.slice(0, -1);
    }
    names.forEach(function (name, index) {
      if (index === names.length - 1) {
        item[name] = rest.trim();
        return;
      }
      var bar = rest.indexOf("|");
      item[name] = (bar === -1 ? rest : rest.slice(0, bar)).trim();
      rest = bar === -1 ? "" : rest.slice(bar + 1);
    });
    return item;
  }

  // The chapter's local time now, as the header writes it (YYYY-MM-DD HH:mm).
  function chapterNow() {
    var zone = window.BERBAGI_TIMEZONE || undefined;
    var parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }

  function fromFile(text) {
    var lines = String(text).split(/\r\n|\r|\n/);
    var data = {};
    var index = 0;
    for (; index < lines.length; index++) {
      var line = lines[index];
      if (!line.replace(/[\s\u200b\ufeff]/g, "")) { index++; break; }
      var match = HEADER_LINE.exec(line);
      if (!match) continue; // `invoke check` names such a line; the form cannot show it
      var key = match[1].toLowerCase();
      var value = match[2].trim();
      if (!value) continue;
      if (isRepeatable(key)) {
        var item = kit.parts[key] ? splitParts(key, value) : value;
        (data[key] = data[key] || []).push(item);
      } else if (!(key in data)) {
        data[key] = value;
      }
    }
    // `End: 16:00` is a time on the start's day; the date-time picker needs the whole of it.
    if (data.end && CLOCK.test(data.end) && data.start) {
      var clock = CLOCK.exec(data.end);
      var hour = clock[1].length === 1 ? "0" + clock[1] : clock[1];
      data.end = data.start.slice(0, 10) + " " + hour + ":" + clock[2];
    }
    data.body = lines.slice(index).join("\n");
    return data;
  }

  function toFile(data, fieldsOrder) {
    data = Object.assign({}, data);
    // Date: is when the class is announced: the moment it is first saved, in the chapter's
    // time, and never after Start (a class recorded afterwards counts as announced at Start).
    if ("start" in data && !oneLine(data.date)) {
      var now = chapterNow();
      if (oneLine(data.start) > now) data.date = now;
    }
    var order = (fieldsOrder || []).filter(function (key) { return key !== "body"; });
    Object.keys(data).forEach(function (key) {
      if (key !== "body" && order.indexOf(key) === -1) order.push(key);
    });
    var header = [];
    order.forEach(function (key) {
      var value = data[key];
      var items = isRepeatable(key) ? (Array.isArray(value) ? value : value ? [value] : []) : [value];
      items.forEach(function (item) {
        var text = kit.parts[key] ? joinParts(key, item) : oneLine(item);
        if (text) header.push(nameOf(key) + ": " + text);
      });
    });
    var body = data.body ? String(data.body).replace(/\r\n|\r/g, "\n") : "";
    body = body.replace(/^\n+/, "");
    if (body && body.slice(-1) !== "\n") body += "\n";
    return header.join("\n") + "\n\n" + body;
  }

  window.CMS.registerCustomFormat("berbagi-class", "md", { fromFile: fromFile, toFile: toFile });
  window.BERBAGI_FORMAT = { fromFile: fromFile, toFile: toFile };
  // The page sets CMS_MANUAL_INIT, so that the format exists before the first file is read.
  window.CMS.init();
})();
