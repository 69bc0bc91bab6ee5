"""The operator's config: what loads, and how each mistake is reported (file and dotted key)."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.config import (
    TOKEN_ENV,
    CalendarConfig,
    CommitteeGroupConfig,
    CommuneConfig,
    Config,
    DeadlinesConfig,
    FieldConfig,
    LimitsConfig,
    MeetingConfig,
    MemberConfig,
    OutboxConfig,
    PrivacyConfig,
    RecurrenceConfig,
    StorageConfig,
    TelegramConfig,
    TriageConfig,
    load_config,
    parse_config,
    sample_config_text,
)
from bot.domain.errors import ConfigError
from bot.domain.model import Role
from bot.domain.working_days import load_vietnam_calendar

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"
TOKEN = "987654321:AAH-secret_Token"

MINIMAL = """\
[telegram]
token = "987654321:AAH-secret_Token"

[storage]
path = "homthu.sqlite3"

[commune]
name = "Xã Mỹ Thành"
code = "MT"

[[members]]
id = "hung"
name = "Nguyễn Văn Hùng"
roles = ["chair"]
telegram_id = 1001

[[members]]
id = "minh"
name = "Lê Quang Minh"
roles = ["member"]

[[fields]]
id = "dat-dai"
name = "Đất đai"
members = ["minh"]

[[fields]]
id = "khac"
name = "Khác"
members = ["hung"]
"""


def write(tmp_path: Path, text: str) -> Path:
    """Write `text` as config.toml in tmp_path and return its path."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def edited(*replacements: tuple[str, str], append: str = "") -> str:
    """MINIMAL with each (old, new) replaced once, plus `append` at the end."""
    text = MINIMAL
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text + append


def error_for(tmp_path: Path, text: str) -> str:
    """The ConfigError message load_config raises for `text`."""
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), env={})
    return str(caught.value)


def toml_keys(table: dict[str, object]) -> set[str]:
    """Dotted keys of a parsed TOML document, with array entries merged (members[].id)."""
    keys: set[str] = set()
    for key, value in table.items():
        is_array_of_tables = isinstance(value, list) and all(isinstance(v, dict) for v in value)
        name = f"{key}[]" if value and is_array_of_tables else key
        keys.add(name)
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            if isinstance(entry, dict):
                keys |= {f"{name}.{sub}" for sub in toml_keys(entry)}
    return keys


# --- the shipped files -------------------------------------------------------------------------


def test_example_config_loads_with_the_token_from_the_environment() -> None:
    config = load_config(EXAMPLE, env={TOKEN_ENV: TOKEN})

    assert config.telegram.token == TOKEN
    assert config.commune.name == "Xã Mỹ Thành"
    assert config.commune.code == "MT"
    assert [field.name for field in config.fields][:2] == ["Đất đai", "Môi trường – vệ sinh"]
    assert [member.id for member in config.chairs] == ["hung"]


def test_example_config_without_a_token_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"config\.example\.toml: telegram\.token: required"):
        load_config(EXAMPLE, env={})


def test_example_config_documents_every_key() -> None:
    documented = toml_keys(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    sections = {
        "telegram": TelegramConfig,
        "storage": StorageConfig,
        "commune": CommuneConfig,
        "members[]": MemberConfig,
        "fields[]": FieldConfig,
        "limits": LimitsConfig,
        "privacy": PrivacyConfig,
        "outbox": OutboxConfig,
        "calendar": CalendarConfig,
        "deadlines": DeadlinesConfig,
        "triage": TriageConfig,
        "committee_group": CommitteeGroupConfig,
        "meetings[]": MeetingConfig,
        "meetings[].recurrence": RecurrenceConfig,
    }
    expected = {"locale"} | set(sections)
    for section, cls in sections.items():
        expected |= {
            f"{section}.{field.name}"
            for field in dataclasses.fields(cls)
            if not field.metadata.get("environment_only")  # secrets: environment only
        }

    assert documented == expected


def test_sample_config_uses_the_same_keys_as_the_example() -> None:
    example = toml_keys(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))

    assert toml_keys(tomllib.loads(sample_config_text())) == example


def test_sample_config_loads_for_the_sandbox(tmp_path: Path) -> None:
    config = parse_config(sample_config_text(), tmp_path / "sample_config.toml", env={})

    assert config.telegram.token == "123456:SANDBOX"
    assert config.telegram.base_url == TelegramConfig.base_url
    assert config.storage.path == tmp_path / "homthu-demo.sqlite3"
    assert [member.telegram_id for member in config.members] == [1001, 1002, 1003, 1004]
    assert config.chairs[0].telegram_id == 1001
    assert 4 <= len(config.fields) <= 5


# --- values and defaults ------------------------------------------------------------------------


def test_minimal_config_takes_the_documented_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})

    assert config.locale == "vi"
    assert config.commune.timezone == "Asia/Ho_Chi_Minh"
    assert config.commune.tz.key == "Asia/Ho_Chi_Minh"
    assert config.field("dat-dai").answer_days == 15
    assert config.limits == LimitsConfig()
    assert config.outbox == OutboxConfig()
    assert config.telegram.poll_timeout == 10


def test_members_are_on_duty_and_fields_shared_unless_configured(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})

    assert all(member.on_duty for member in config.members)
    assert not any(field.auto_assign for field in config.fields)


def test_on_duty_and_auto_assign_are_read(tmp_path: Path) -> None:
    text = edited(
        ('roles = ["chair"]', 'roles = ["chair"]\non_duty = false'),
        ('members = ["minh"]', 'members = ["minh"]\nauto_assign = true'),
    )
    config = load_config(write(tmp_path, text), env={})

    assert [m.on_duty for m in config.members] == [False, True]
    assert config.field("dat-dai").auto_assign is True
    assert config.field("khac").auto_assign is False


def test_minimal_config_takes_the_documented_deadline_and_calendar_defaults(
    tmp_path: Path,
) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})

    assert config.field("dat-dai").answer_day_kind == "working"
    assert config.calendar == CalendarConfig(extra_holidays=(), extra_working_days=())
    assert config.deadlines == DeadlinesConfig(
        remind_before_working_days=(3, 1),
        reminder_hour=8,
        escalate_when_overdue=True,
        progress_note_every_days=7,
        acknowledge_within_working_days=10,
    )


def test_example_config_counts_one_field_in_calendar_days() -> None:
    config = load_config(EXAMPLE, env={TOKEN_ENV: TOKEN})

    assert config.field("dat-dai").answer_day_kind == "working"
    assert config.field("an-ninh").answer_day_kind == "calendar"


def test_calendar_and_deadline_keys_are_read(tmp_path: Path) -> None:
    text = edited(
        ('members = ["hung"]', 'members = ["hung"]\nanswer_day_kind = "calendar"'),
        append=(
            "\n[calendar]\n"
            "extra_holidays = [2026-12-24, 2027-01-02]\n"
            "extra_working_days = [2027-02-10]\n"
            "\n[deadlines]\n"
            "remind_before_working_days = [5, 2, 1]\n"
            "reminder_hour = 7\n"
            "escalate_when_overdue = false\n"
            "progress_note_every_days = 0\n"
            "acknowledge_within_working_days = 5\n"
        ),
    )

    config = load_config(write(tmp_path, text), env={})

    assert config.field("khac").answer_day_kind == "calendar"
    assert config.calendar.extra_holidays == (date(2026, 12, 24), date(2027, 1, 2))
    assert config.calendar.extra_working_days == (date(2027, 2, 10),)
    assert config.deadlines == DeadlinesConfig(
        remind_before_working_days=(5, 2, 1),
        reminder_hour=7,
        escalate_when_overdue=False,
        progress_note_every_days=0,
        acknowledge_within_working_days=5,
    )


def test_no_reminders_is_allowed(tmp_path: Path) -> None:
    text = MINIMAL + "\n[deadlines]\nremind_before_working_days = []\n"

    assert load_config(write(tmp_path, text), env={}).deadlines.remind_before_working_days == ()


def test_calendar_additions_reach_the_working_calendar(tmp_path: Path) -> None:
    text = (
        MINIMAL + "\n[calendar]\nextra_holidays = [2026-12-24]\nextra_working_days = [2027-02-10]\n"
    )
    config = load_config(write(tmp_path, text), env={})

    calendar = load_vietnam_calendar(
        config.calendar.extra_holidays, config.calendar.extra_working_days
    )

    assert not calendar.is_working_day(date(2026, 12, 24))  # a Thursday, off by local decision
    assert calendar.is_working_day(date(2027, 2, 10))  # a provisional Tết day, worked after all


def test_existing_constructors_keep_working_without_the_new_sections(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})
    rebuilt = Config(
        source=config.source,
        telegram=config.telegram,
        storage=config.storage,
        commune=config.commune,
        members=config.members,
        fields=(FieldConfig(id="khac", name="Khác", members=("hung",), answer_days=15),),
        limits=config.limits,
        privacy=config.privacy,
        outbox=config.outbox,
    )

    assert rebuilt.calendar == CalendarConfig()
    assert rebuilt.deadlines == DeadlinesConfig()
    assert rebuilt.field("khac").answer_day_kind == "working"


def test_roles_are_read_as_a_set_of_role_values(tmp_path: Path) -> None:
    text = edited(('roles = ["member"]', 'roles = ["deputy", "member", "deputy"]'))

    config = load_config(write(tmp_path, text), env={})

    assert config.member("minh").roles == frozenset({Role.DEPUTY, Role.MEMBER})


def test_empty_privacy_controller_names_the_communes_peoples_committee(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})

    assert config.privacy.controller == "Ủy ban nhân dân xã Mỹ Thành"


def test_environment_token_overrides_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={TOKEN_ENV: " 111:from-env\n"})

    assert config.telegram.token == "111:from-env"


def test_token_may_be_absent_when_not_required(tmp_path: Path) -> None:
    text = edited(('token = "987654321:AAH-secret_Token"\n', ""))

    config = load_config(write(tmp_path, text), env={}, require_token=False)

    assert config.telegram.token == ""


def test_relative_storage_path_resolves_against_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    config = load_config(write(folder, MINIMAL), env={})

    assert config.storage.path == folder / "homthu.sqlite3"


def test_absolute_storage_path_is_kept(tmp_path: Path) -> None:
    database = tmp_path / "var" / "homthu.sqlite3"
    text = edited(('path = "homthu.sqlite3"', f'path = "{database.as_posix()}"'))

    config = load_config(write(tmp_path, text), env={})

    assert config.storage.path == database


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))

    assert load_config(path, env={}).commune.code == "MT"


def test_lookups_by_id(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})

    assert config.member("minh").name == "Lê Quang Minh"
    assert config.field("khac").members == ("hung",)
    with pytest.raises(KeyError):
        config.member("lan")
    with pytest.raises(KeyError):
        config.field("dat")


def test_chairs_fall_back_to_deputies(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})
    deputy = dataclasses.replace(config.member("hung"), roles=frozenset({Role.DEPUTY}))

    without_chair = dataclasses.replace(config, members=(deputy, config.member("minh")))

    assert without_chair.chairs == (deputy,)


# --- secrets -----------------------------------------------------------------------------------


def test_repr_hides_the_token(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), env={})

    assert TOKEN not in repr(config)
    assert TOKEN not in str(config.telegram)
    assert "token=<hidden>" in repr(config.telegram)


def test_error_about_the_token_does_not_show_it(tmp_path: Path) -> None:
    message = error_for(tmp_path, MINIMAL.replace(TOKEN, "987654321:AAH secret"))

    assert "telegram.token" in message
    assert "secret" not in message


def test_error_elsewhere_does_not_show_the_token(tmp_path: Path) -> None:
    message = error_for(tmp_path, edited(('code = "MT"', 'code = "mt"')))

    assert TOKEN not in message


# --- file-level errors --------------------------------------------------------------------------


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"

    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})

    assert str(caught.value) == f"{path}: config file not found"


def test_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    text = edited(('code = "MT"', "code = MT"))

    message = error_for(tmp_path, text)

    assert message.startswith(f"{tmp_path / 'config.toml'}: invalid TOML")
    assert "line 9" in message


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(MINIMAL.encode("cp1258", errors="replace"))

    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})

    assert str(caught.value).startswith(f"{path}: not UTF-8")


# --- validation: each message starts with "<file>: <dotted key>: " ------------------------------

INVALID = [
    pytest.param(
        MINIMAL + '\n[telgram]\ntoken = "1:x"\n',
        "telgram",
        'unknown section (did you mean "telegram"?)',
        id="unknown-section",
    ),
    pytest.param(
        edited(('code = "MT"', 'code = "MT"\nvilages = []')),
        "commune.vilages",
        'unknown key (did you mean "villages"?)',
        id="unknown-key",
    ),
    pytest.param(
        edited(("[telegram]\n", "[telegram]\npoll_timeout = true\n")),
        "telegram.poll_timeout",
        "expected an integer, got a boolean",
        id="bool-is-not-an-int",
    ),
    pytest.param(
        edited(("[telegram]\n", "[telegram]\npoll_timeout = 60\n")),
        "telegram.poll_timeout",
        "must be between 1 and 50, got 60",
        id="poll-timeout-range",
    ),
    pytest.param(
        edited(("[telegram]\n", '[telegram]\nbase_url = "api.telegram.org/bot"\n')),
        "telegram.base_url",
        "is not an http:// or https:// URL",
        id="base-url",
    ),
    pytest.param(
        edited(('name = "Xã Mỹ Thành"\n', "")),
        "commune.name",
        "required",
        id="commune-name-missing",
    ),
    pytest.param(
        edited(('name = "Xã Mỹ Thành"', "name = 5")),
        "commune.name",
        "expected a string, got an integer",
        id="commune-name-type",
    ),
    pytest.param(
        edited(('code = "MT"', 'code = "mt"')),
        "commune.code",
        'must be 2–6 capital letters or digits, got "mt"',
        id="commune-code",
    ),
    pytest.param(
        edited(('code = "MT"', 'code = "MT"\ntimezone = "Asia/Hanoi_City"')),
        "commune.timezone",
        'unknown time zone "Asia/Hanoi_City"',
        id="timezone",
    ),
    pytest.param(
        edited(('code = "MT"', 'code = "MT"\nvillages = ["Thôn Đông", "Thôn Đông"]')),
        "commune.villages",
        'village "Thôn Đông" is listed twice',
        id="duplicate-village",
    ),
    pytest.param(
        edited(('code = "MT"', 'code = "MT"\nvillages = ["Thôn Đông", 3]')),
        "commune.villages[1]",
        "expected a non-empty string",
        id="village-type",
    ),
    pytest.param(
        edited(('[storage]\npath = "homthu.sqlite3"\n', "")),
        "storage",
        "required section [storage] is missing",
        id="storage-missing",
    ),
    pytest.param(
        edited(('path = "homthu.sqlite3"', 'path = ""')),
        "storage.path",
        "must not be empty",
        id="storage-path-empty",
    ),
    pytest.param(
        edited(('id = "minh"', 'id = "Minh Le"')),
        "members[1].id",
        '"Minh Le" must be 1–32 of a-z, 0-9, "_" and "-"',
        id="member-slug",
    ),
    pytest.param(
        edited(('id = "minh"', 'id = "hung"')),
        "members[1].id",
        'duplicate member id "hung"',
        id="member-duplicate",
    ),
    pytest.param(
        edited(('roles = ["member"]', 'roles = ["member", "boss"]')),
        "members[1].roles",
        'unknown role "boss"',
        id="unknown-role",
    ),
    pytest.param(
        edited(('roles = ["member"]', "roles = []")),
        "members[1].roles",
        "needs at least one role",
        id="no-roles",
    ),
    pytest.param(
        edited(('roles = ["member"]', 'roles = ["member"]\ntelegram_id = 1001')),
        "members[1].telegram_id",
        '1001 is also member "hung"',
        id="telegram-id-duplicate",
    ),
    pytest.param(
        edited(("telegram_id = 1001", 'telegram_id = "1001"')),
        "members[0].telegram_id",
        "expected an integer, got a string",
        id="telegram-id-type",
    ),
    pytest.param(
        edited(('roles = ["chair"]', 'roles = ["deputy"]')),
        "members",
        'no member has the role "chair"',
        id="no-chair",
    ),
    pytest.param(
        'members = ["hung"]\n'
        + MINIMAL[: MINIMAL.index("[[members]]")]
        + MINIMAL[MINIMAL.index("[[fields]]") :],
        "members",
        "expected an array of tables",
        id="members-not-an-array",
    ),
    pytest.param(
        MINIMAL[: MINIMAL.index("[[fields]]")],
        "fields",
        "at least one [[fields]] entry is required",
        id="no-fields",
    ),
    pytest.param(
        edited(('members = ["hung"]', 'members = ["hung", "lan"]')),
        "fields[1].members",
        'unknown member id "lan"',
        id="field-unknown-member",
    ),
    pytest.param(
        edited(('members = ["hung"]', "members = []")),
        "fields[1].members",
        "needs at least one member id",
        id="field-without-members",
    ),
    pytest.param(
        edited(('name = "Khác"', 'name = "' + "Khác " * 9 + '"')),
        "fields[1].name",
        "longer than 40 characters",
        id="field-name-too-long",
    ),
    pytest.param(
        edited(('name = "Khác"', 'name = "Đất đai"')),
        "fields[1].name",
        'another field is already named "Đất đai"',
        id="field-name-duplicate",
    ),
    pytest.param(
        edited(('id = "khac"', 'id = "dat-dai"')),
        "fields[1].id",
        'duplicate field id "dat-dai"',
        id="field-id-duplicate",
    ),
    pytest.param(
        edited(('members = ["hung"]', 'members = ["hung"]\nanswer_days = 0')),
        "fields[1].answer_days",
        "must be between 1 and 365, got 0",
        id="answer-days-range",
    ),
    pytest.param(
        edited(('members = ["hung"]', 'members = ["hung"]\nanswer_days = 15.0')),
        "fields[1].answer_days",
        "expected an integer, got a float",
        id="answer-days-float",
    ),
    pytest.param(
        MINIMAL + '\n[limits]\ndocument_types = ["PDF"]\n',
        "limits.document_types",
        '"PDF" is not a lowercase MIME type',
        id="document-type",
    ),
    pytest.param(
        MINIMAL + "\n[limits]\nsubmissions_per_day = 0\n",
        "limits.submissions_per_day",
        "must be at least 1, got 0",
        id="limits-range",
    ),
    pytest.param(
        MINIMAL + "\n[privacy]\nconsent_version = 2026\n",
        "privacy.consent_version",
        "expected a string, got an integer",
        id="consent-version-type",
    ),
    pytest.param(
        MINIMAL + "\n[outbox]\nglobal_rate = 0\n",
        "outbox.global_rate",
        "must be a finite number more than zero, got 0",
        id="outbox-rate-zero",
    ),
    pytest.param(
        MINIMAL + "\n[outbox]\nper_chat_rate = true\n",
        "outbox.per_chat_rate",
        "expected a number, got a boolean",
        id="outbox-rate-bool",
    ),
    pytest.param(
        MINIMAL + "\n[outbox]\nmax_backoff_seconds = inf\n",
        "outbox.max_backoff_seconds",
        "must be a finite number",
        id="outbox-infinite",
    ),
    pytest.param(
        edited(('members = ["hung"]', 'members = ["hung"]\nanswer_day_kind = "business"')),
        "fields[1].answer_day_kind",
        '"business" is not one of working, calendar',
        id="answer-day-kind",
    ),
    pytest.param(
        MINIMAL + '\n[calendar]\nextra_holidays = ["2026-12-24"]\n',
        "calendar.extra_holidays[0]",
        "expected a date like 2026-12-24 (no quotes, no time), got a string",
        id="extra-holiday-quoted",
    ),
    pytest.param(
        MINIMAL + "\n[calendar]\nextra_holidays = [2026-12-24, 2026-12-24T08:00:00]\n",
        "calendar.extra_holidays[1]",
        "expected a date like 2026-12-24",
        id="extra-holiday-with-time",
    ),
    pytest.param(
        MINIMAL + "\n[calendar]\nextra_holidays = 2026-12-24\n",
        "calendar.extra_holidays",
        "expected an array of dates, got a date or time",
        id="extra-holidays-not-an-array",
    ),
    pytest.param(
        MINIMAL + "\n[calendar]\nextra_working_days = [2027-02-10, 2027-02-10]\n",
        "calendar.extra_working_days",
        "2027-02-10 is listed twice",
        id="extra-working-day-twice",
    ),
    pytest.param(
        MINIMAL
        + "\n[calendar]\nextra_holidays = [2026-12-24]\nextra_working_days = [2026-12-24]\n",
        "calendar.extra_working_days",
        "2026-12-24 is also in extra_holidays",
        id="extra-day-both-ways",
    ),
    pytest.param(
        MINIMAL + "\n[calendar]\nextra_holiday = [2026-12-24]\n",
        "calendar.extra_holiday",
        'unknown key (did you mean "extra_holidays"?)',
        id="calendar-unknown-key",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nremind_before_working_days = [1, 3]\n",
        "deadlines.remind_before_working_days",
        "must be strictly decreasing, like [3, 1]; got [1, 3]",
        id="reminders-increasing",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nremind_before_working_days = [3, 3]\n",
        "deadlines.remind_before_working_days",
        "must be strictly decreasing",
        id="reminders-repeated",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nremind_before_working_days = [3, 0]\n",
        "deadlines.remind_before_working_days[1]",
        "must be between 1 and 365, got 0",
        id="reminder-on-the-due-day",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nremind_before_working_days = 3\n",
        "deadlines.remind_before_working_days",
        "expected an array of integers, got an integer",
        id="reminders-not-an-array",
    ),
    pytest.param(
        MINIMAL + '\n[deadlines]\nremind_before_working_days = [3, "1"]\n',
        "deadlines.remind_before_working_days[1]",
        "expected an integer, got a string",
        id="reminder-type",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nreminder_hour = 24\n",
        "deadlines.reminder_hour",
        "must be between 0 and 23, got 24",
        id="reminder-hour",
    ),
    pytest.param(
        MINIMAL + '\n[deadlines]\nescalate_when_overdue = "yes"\n',
        "deadlines.escalate_when_overdue",
        "expected true or false, got a string",
        id="escalate-type",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nprogress_note_every_days = -1\n",
        "deadlines.progress_note_every_days",
        "must be between 0 and 365, got -1",
        id="progress-note-negative",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nacknowledge_within_working_days = 0\n",
        "deadlines.acknowledge_within_working_days",
        "must be between 1 and 365, got 0",
        id="acknowledge-zero",
    ),
    pytest.param(
        MINIMAL + "\n[deadlines]\nremind_before_days = [3, 1]\n",
        "deadlines.remind_before_days",
        'unknown key (did you mean "remind_before_working_days"?)',
        id="deadlines-unknown-key",
    ),
    pytest.param(
        edited(('roles = ["member"]', 'roles = ["member"]\non_duty = "yes"')),
        "members[1].on_duty",
        "expected true or false, got a string",
        id="on-duty-type",
    ),
    pytest.param(
        edited(('members = ["minh"]', 'members = ["minh"]\nauto_assign = 1')),
        "fields[0].auto_assign",
        "expected true or false, got an integer",
        id="auto-assign-type",
    ),
    pytest.param(
        edited(
            ('roles = ["member"]', 'roles = ["member"]\non_duty = false'),
            ('members = ["minh"]', 'members = ["minh"]\nauto_assign = true'),
        ),
        "fields[0].auto_assign",
        "none of the field's members is on duty",
        id="auto-assign-nobody-on-duty",
    ),
    pytest.param(
        'locale = "fr"\n' + MINIMAL,
        "locale",
        '"fr" is not one of vi, en',
        id="locale",
    ),
]


@pytest.mark.parametrize(("text", "key", "fragment"), INVALID)
def test_invalid_config_names_the_file_and_the_key(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    message = error_for(tmp_path, text)

    assert message.startswith(f"{tmp_path / 'config.toml'}: {key}: ")
    assert fragment in message


def test_missing_token_names_the_key_and_the_environment_variable(tmp_path: Path) -> None:
    message = error_for(tmp_path, MINIMAL.replace(TOKEN, ""))

    assert message.startswith(f"{tmp_path / 'config.toml'}: telegram.token: required")
    assert TOKEN_ENV in message


def test_outbox_flush_may_be_zero(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL + "\n[outbox]\nflush_seconds = 0\n"), env={})

    assert config.outbox.flush_seconds == 0.0


def test_config_is_frozen(tmp_path: Path) -> None:
    config: Config = load_config(write(tmp_path, MINIMAL), env={})

    with pytest.raises(dataclasses.FrozenInstanceError):
        config.locale = "en"  # type: ignore[misc]


@pytest.mark.parametrize("client", ["aiohttp", "httpx"])
def test_http_client_defaults_to_builtin_and_accepts_the_others(
    tmp_path: Path, client: str
) -> None:
    assert load_config(write(tmp_path, MINIMAL), env={}).telegram.http_client == "builtin"
    chosen = MINIMAL.replace("[telegram]\n", f'[telegram]\nhttp_client = "{client}"\n')

    assert load_config(write(tmp_path, chosen), env={}).telegram.http_client == client


def test_unknown_http_client_names_the_key(tmp_path: Path) -> None:
    message = error_for(
        tmp_path, MINIMAL.replace("[telegram]\n", '[telegram]\nhttp_client = "curl"\n')
    )

    assert message.startswith(f"{tmp_path / 'config.toml'}: telegram.http_client: ")
    assert '"curl" is not one of builtin, aiohttp, httpx' in message
