"""The editor's config follows the class file's fields, and the vendored Decap is the pinned one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from berbagi import classfile, cms, settings
from berbagi.model import CLASS_SLUG

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"


def _class_fields(language: str = "id") -> list[dict]:
    config = cms.config(cms.CmsSettings(repo="akber/palembang"), "classes", language)
    return config["collections"][0]["fields"]


def test_the_form_has_every_class_field_in_the_files_order():
    names = [field["name"] for field in _class_fields()]
    assert names == [*classfile.CLASS_FIELDS, "body"]


def test_required_fields_are_the_models():
    required = {field["name"] for field in _class_fields() if field["required"]}
    assert required == {"title", "start", "venue", "venue_address", "teacher"}


def test_list_fields_are_the_repeatable_ones():
    lists = {field["name"] for field in _class_fields() if field["widget"] == "list"}
    assert lists == classfile.REPEATABLE


def test_labels_in_both_languages():
    for language in ("id", "en"):
        for field in _class_fields(language):
            assert field["label"].strip(), (language, field["name"])
            for part in field.get("fields", []):
                assert part["label"].strip(), (language, field["name"], part["name"])
    indonesian = {f["name"]: f["label"] for f in _class_fields("id")}
    english = {f["name"]: f["label"] for f in _class_fields("en")}
    assert indonesian["venue_address"] == "Alamat tempat"
    assert english["venue_address"] == "Venue address"


def test_times_stay_the_chapters_local_time():
    fields = {field["name"]: field for field in _class_fields()}
    for name in ("start", "end", "modified"):
        assert fields[name]["format"] == "YYYY-MM-DD HH:mm"
        assert fields[name]["picker_utc"] is False
    assert fields["previous_start"]["field"]["format"] == "YYYY-MM-DD HH:mm"
    assert fields["date"]["widget"] == "hidden"  # class_format.js fills it in


def test_photos_are_uploaded_where_photo_lines_point():
    collection = cms.config(cms.CmsSettings(), "classes", "id")["collections"][0]
    assert collection["media_folder"] == "/content/images/kelas"
    assert collection["public_folder"] == "images/kelas"
    photo = {f["name"]: f for f in collection["fields"]}["photo"]
    assert [(p["name"], p["widget"], p["required"]) for p in photo["fields"]] == [
        ("image", "image", True),
        ("alt", "string", True),
        ("focus", "string", False),  # the share image's crop: `| focus 50% 30%`
    ]


def test_the_slug_pattern_is_the_kits():
    import re

    pattern = re.compile({f["name"]: f for f in _class_fields()}["slug"]["pattern"][0])
    for slug in ("fotografi-ponsel", "a" * 40, "a" * 41, "Foto", "foto--ponsel", "-foto"):
        assert bool(pattern.match(slug)) == bool(CLASS_SLUG.match(slug) and len(slug) <= 40)


def test_config_yml_is_yaml_with_the_github_backend_and_editorial_workflow():
    text = cms.config_text(cms.CmsSettings(repo="akber/palembang"), "classes", "en")
    config = yaml.safe_load(text)
    assert config == json.loads(text)
    assert config["backend"] == {
        "name": "github",
        "repo": "akber/palembang",
        "branch": "main",
        "base_url": "https://api.netlify.com",
        "squash_merges": True,
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["collections"][1]["folder"] == "content/pages"


def test_without_a_repository_the_editor_talks_to_a_local_decap_server():
    config = cms.config(cms.CmsSettings(), "classes", "id")
    assert config["backend"]["name"] == "proxy"
    assert config["local_backend"] is True


def test_cms_settings_are_validated():
    base = {"CHAPTER": None}
    with pytest.raises(settings.SettingsError) as error:
        settings.load({**base, "CMS": {"repo": "not a repo", "local_backend": "ftp://x", "x": 1}})
    lines = [line for line in error.value.problems if line.startswith("cms:")]
    assert lines == [
        "cms: unknown key CMS['x']; the keys are auth_endpoint, base_url, branch, local_backend, "
        "publish_mode, repo",
        "cms: CMS['repo'] 'not a repo' must be a GitHub repository like owner/name",
        "cms: CMS['local_backend'] must be True, False or decap-server's address like "
        "http://localhost:8081/api/v1",
    ]


def test_admin_page_loads_only_its_own_scripts():
    page = cms.index_html("id", "Akber Palembang", "Asia/Jakarta")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert '<script src="decap-cms.js"></script>' in page
    assert "http" not in page


def test_vendored_decap_is_the_pinned_npm_package():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["decap-cms"] == cms.DECAP_VERSION
    installed = NODE_MODULES / "decap-cms" / "package.json"
    if not installed.is_file():
        pytest.fail("node_modules/decap-cms is missing; run `npm ci` (./run test does)")
    assert json.loads(installed.read_text(encoding="utf-8"))["version"] == cms.DECAP_VERSION
    expected = cms.npm_files(NODE_MODULES)
    vendored = {path.name: path for path in cms.vendor_files()}
    assert sorted(vendored) == sorted(expected), "run `invoke update-cms`"
    for name, path in expected.items():
        assert vendored[name].read_bytes() == path.read_bytes(), f"{name}: run `invoke update-cms`"
