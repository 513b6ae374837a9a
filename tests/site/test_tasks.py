"""The invoke tasks as organizers run them: settings mistakes are exit 2; tasks.py deploys."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from invoke import Exit, MockContext, Result

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tasks(monkeypatch) -> ModuleType:
    """tasks.py as invoke loads it, by its path."""
    spec = importlib.util.spec_from_file_location("chapter_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "_log_to_console", lambda: None)  # keep pytest's log capture
    return module


@pytest.fixture
def production_settings(tmp_path, tasks, monkeypatch):
    """`production_settings(text)`: publishconf.py plus `text`, building into tmp_path."""

    def write(text: str = "") -> Path:
        settings = tmp_path / "publishconf_test.py"
        settings.write_text(
            "import runpy\n"
            f"_local = runpy.run_path({str(ROOT / 'publishconf.py')!r})\n"
            "globals().update({k: v for k, v in _local.items() if k.isupper()})\n"
            f"PATH = {str(ROOT / 'content')!r}\n"
            f"OUTPUT_PATH = {str(tmp_path / 'output')!r}\n"
            f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n"
            "CLASS_SCHEDULE = {'now': '2026-11-28T09:00:00+07:00'}\n"
            f"SOCIAL_PUBLISH = {{**SOCIAL_PUBLISH, 'ledger': {str(tmp_path / 'ledger.json')!r}}}\n"
            + text
        )
        monkeypatch.setitem(tasks.CONFIG, "settings_publish", str(settings))
        return settings

    return write


@pytest.mark.parametrize("command", ["announce", "remind"])
def test_a_settings_mistake_ends_announce_and_remind_with_exit_2(
    tasks, production_settings, command
):
    production_settings("TIMEZONE = 'WIB'\nSOCIAL_PUBLISH = {**SOCIAL_PUBLISH, 'max_post': 3}\n")

    with pytest.raises(Exit) as stopped:
        getattr(tasks, command)(MockContext(), dry_run=True)

    assert stopped.value.code == 2
    assert stopped.value.message.splitlines() == [
        "class_schedule: TIMEZONE 'WIB' is not an IANA zone like Asia/Jakarta",
        "social_publish: unknown key SOCIAL_PUBLISH['max_post']; the keys are kinds, ledger, "
        "max_posts, max_reminders, networks, plan, prices, recap_window_days, reminder_hours, "
        "retry_delays, templates, write_plan",
    ]


def test_publish_without_deploy_says_so_before_building(tasks, production_settings, tmp_path):
    production_settings()

    with pytest.raises(Exit, match="DEPLOY is not set in publishconf.py") as stopped:
        tasks.publish(MockContext())

    assert stopped.value.code == 2
    assert not (tmp_path / "output").exists()


def test_publish_builds_then_syncs_the_output_with_rsync(tasks, production_settings, tmp_path):
    production_settings("DEPLOY = {'method': 'rsync', 'target': 'akber@example.org:/var/www/'}\n")
    rsync = f"rsync -e ssh -P -rvzc --delete {tmp_path / 'output'}/ akber@example.org:/var/www/"
    context = MockContext(run={rsync: Result("sent 1,234 bytes")})

    tasks.publish(context)

    assert (tmp_path / "output" / "index.html").is_file()
    assert [call.args[0] for call in context.run.call_args_list] == [rsync]


@pytest.mark.parametrize(
    ("deploy", "message"),
    [
        ("{'method': 'ftp'}", "DEPLOY['method'] must be one of ghp-import, rsync, not 'ftp'"),
        ("{'method': 'rsync'}", "DEPLOY['target'] is missing"),
        ("{'method': 'rsync', 'target': 'x:/y', 'port': 22}", "unknown key DEPLOY['port']"),
    ],
)
def test_a_wrong_deploy_setting_is_exit_2_and_builds_nothing(
    tasks, production_settings, tmp_path, deploy, message
):
    production_settings(f"DEPLOY = {deploy}\n")

    with pytest.raises(Exit, match=message.replace("[", r"\[").replace("]", r"\]")) as stopped:
        tasks.publish(MockContext())

    assert stopped.value.code == 2
    assert not (tmp_path / "output").exists()


def test_invoke_build_refuses_a_theme_without_its_plugin_with_exit_2(tasks, tmp_path, monkeypatch):
    settings = tmp_path / "pelicanconf_test.py"
    settings.write_text(
        "import runpy\n"
        f"_local = runpy.run_path({str(ROOT / 'pelicanconf.py')!r})\n"
        "globals().update({k: v for k, v in _local.items() if k.isupper()})\n"
        f"OUTPUT_PATH = {str(tmp_path / 'output')!r}\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n"
        f"PATH = {str(ROOT / 'content')!r}\n"
        "PLUGINS = ['sitemap']\n"
    )
    monkeypatch.setitem(tasks.CONFIG, "settings_base", str(settings))

    with pytest.raises(Exit) as stopped:
        tasks.build(MockContext())

    assert stopped.value.code == 2
    (line,) = stopped.value.message.splitlines()
    assert line.startswith("class_schedule: PLUGINS ['sitemap'] has none of the kit's plugins")
    assert not (tmp_path / "output").exists()
