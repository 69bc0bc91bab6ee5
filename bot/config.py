"""The operator's TOML config, read in one place into frozen dataclasses and validated once.

Every problem is a `ConfigError` whose message starts with the file and the dotted key, e.g.
``config.toml: fields[2].members: unknown member id "lan"`` (array indexes count from 0), so
`homthu run` can exit non-zero before it touches any data. The bot token never appears in an
error message or a repr.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.briefing import PackMoment
from bot.domain.errors import ConfigError
from bot.domain.meetings import (
    ALL_MEMBERS,
    WEEKDAYS,
    Recurrence,
    RecurrenceKind,
    parse_offset,
    valid_agenda_url,
)
from bot.domain.model import Role
from bot.domain.working_days import DAY_KINDS, DayKind

TOKEN_ENV = "HOMTHU_TELEGRAM_TOKEN"
WEBHOOK_SECRET_ENV = "HOMTHU_WEBHOOK_SECRET"
LOCALES = ("vi", "en")
HTTP_CLIENTS = ("builtin", "aiohttp", "httpx")  # [telegram] http_client
UPDATE_MODES = ("polling", "webhook")  # [telegram] mode
# Telegram's rule for setWebhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_WEBHOOK_PATH = re.compile(r"/[A-Za-z0-9._~/-]*")
MAX_FIELD_NAME_CHARS = 40  # a Telegram button shows roughly this much on a phone

_SLUG = re.compile(r"[a-z0-9_-]{1,32}")
_COMMUNE_CODE = re.compile(r"[A-Z0-9]{2,6}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")


@dataclass(frozen=True)
class TelegramConfig:
    """How to reach the Bot API; `HOMTHU_TELEGRAM_TOKEN` overrides the file's token."""

    token: str
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    poll_timeout: int = 10
    http_client: str = "builtin"
    mode: str = "polling"
    webhook_url: str = ""  # the public https:// URL Telegram POSTs to (the reverse proxy's)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8088
    webhook_path: str = "/telegram"
    webhook_max_connections: int = 40
    # Only from HOMTHU_WEBHOOK_SECRET, never from the file: like the token, it is a password.
    webhook_secret: str = dataclasses.field(default="", metadata={"environment_only": True})

    def __repr__(self) -> str:
        # Configs end up in logs and tracebacks; the token and the webhook secret must not.
        token = "<hidden>" if self.token else "<empty>"
        secret = "<hidden>" if self.webhook_secret else "<empty>"
        return (
            f"TelegramConfig(token={token}, base_url={self.base_url!r}, "
            f"base_file_url={self.base_file_url!r}, poll_timeout={self.poll_timeout!r}, "
            f"http_client={self.http_client!r}, mode={self.mode!r}, "
            f"webhook_url={self.webhook_url!r}, webhook_listen={self.webhook_listen!r}, "
            f"webhook_port={self.webhook_port!r}, webhook_path={self.webhook_path!r}, "
            f"webhook_max_connections={self.webhook_max_connections!r}, "
            f"webhook_secret={secret})"
        )


@dataclass(frozen=True)
class StorageConfig:
    """Where the SQLite database lives (always absolute once loaded), and how long sent outbox
    rows and handled update ids are kept (0: forever)."""

    path: Path
    retention_days: int = 90


@dataclass(frozen=True)
class CommuneConfig:
    """The commune or ward the mailbox serves."""

    name: str
    code: str
    timezone: str = "Asia/Ho_Chi_Minh"
    villages: tuple[str, ...] = ()
    body_name: str = 'Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở và phong trào "Dân vận khéo"'

    @property
    def tz(self) -> ZoneInfo:
        """The commune's time zone, which decides local days and deadlines."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class MemberConfig:
    """A committee member and their roles."""

    id: str
    name: str
    roles: frozenset[Role]
    telegram_id: int | None = None
    on_duty: bool = True  # takes part in fields' automatic round-robin assignment


@dataclass(frozen=True)
class FieldConfig:
    """A subject area (lĩnh vực): citizens pick it, and it decides who receives the case."""

    id: str
    name: str
    members: tuple[str, ...]
    answer_days: int = 15
    answer_day_kind: DayKind = "working"
    auto_assign: bool = False  # new cases go round-robin to the field's members on duty


@dataclass(frozen=True)
class LimitsConfig:
    """Caps on what citizens may send, against floods and oversized files."""

    submissions_per_day: int = 5
    max_text_chars: int = 4000
    max_parts: int = 20
    max_document_bytes: int = 20 * 1024 * 1024
    document_types: tuple[str, ...] = (
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
    )
    messages_per_minute: int = 30


@dataclass(frozen=True)
class PrivacyConfig:
    """What the consent notice names: its version, the data controller and their contact."""

    consent_version: str = "2026-11"
    controller: str = ""
    contact: str = ""


@dataclass(frozen=True)
class OutboxConfig:
    """Pacing of outbound messages, kept under Telegram's limits."""

    global_rate: float = 25.0
    per_chat_rate: float = 1.0
    per_chat_burst: int = 3
    max_in_flight: int = 8
    max_backoff_seconds: float = 300.0
    flush_seconds: float = 5.0


@dataclass(frozen=True)
class CalendarConfig:
    """The operator's corrections to the packaged Vietnamese holiday calendar (local decisions)."""

    extra_holidays: tuple[date, ...] = ()
    extra_working_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class DeadlinesConfig:
    """When the committee is reminded, escalated to, and when citizens hear about progress."""

    remind_before_working_days: tuple[int, ...] = (3, 1)  # each at least 1, strictly decreasing
    reminder_hour: int = 8  # local hour, 0 to 23
    escalate_when_overdue: bool = True
    progress_note_every_days: int = 7  # 0 sends no progress notes
    acknowledge_within_working_days: int = 10  # the formal handling notice (requirement 12)


DEFAULT_URGENT_WORDS = (
    "cháy",
    "hỏa hoạn",
    "đuối nước",
    "chết đuối",
    "sập nhà",
    "sạt lở",
    "đánh nhau",
    "đâm chém",
    "cướp",
    "bắt cóc",
    "tai nạn",
    "cấp cứu",
    "ngộ độc",
    "tự tử",
    "điện giật",
    "lũ cuốn",
)


@dataclass(frozen=True)
class TriageConfig:
    """What marks a message as urgent, who to call, and how complaints are guided."""

    # Words that mark danger to life, fire or a crime in progress (matched without diacritics
    # as whole words); the citizen gets the emergency numbers at once and the chair is told.
    urgent_words: tuple[str, ...] = DEFAULT_URGENT_WORDS
    emergency_numbers: str = "113 (Công an), 114 (Cứu nạn, cứu hộ, chữa cháy), 115 (Cấp cứu y tế)"
    # Guidance sent to the citizen when a case turns out to be a complaint or denunciation;
    # empty uses the built-in text (how to file formally at the commune's reception office).
    complaint_guidance: str = ""


@dataclass(frozen=True)
class CommitteeGroupConfig:
    """An optional committee supergroup that receives every case too, one forum topic per case."""

    # The supergroup's id (negative, -100…); 0 keeps cases in members' private chats only.
    chat_id: int = 0
    # Give each case its own forum topic (the group must have topics turned on).
    topics: bool = True

    @property
    def enabled(self) -> bool:
        """Whether cases are posted in the group at all."""
        return self.chat_id != 0


@dataclass(frozen=True)
class RecurrenceConfig:
    """`[[meetings]] recurrence`: monthly or quarterly, on a day or on the n-th weekday."""

    kind: RecurrenceKind
    day: int | None = None  # 1–31; 29–31 fall on a shorter month's last day
    weekday: str | None = None  # "mon" … "sun", with `week`
    week: int | None = None  # 1–4, or -1 for the last such weekday of the month
    month_of_quarter: int = 1  # quarterly: 1 = Jan/Apr/Jul/Oct … 3 = Mar/Jun/Sep/Dec


@dataclass(frozen=True)
class MeetingConfig:
    """A committee meeting: a one-off `start` or a `recurrence` at `time`, with reminders."""

    id: str
    title: str
    attendees: tuple[str, ...]  # member ids; ["all"] in the file means every member
    place: str
    start: datetime | None = None  # naive local date-time of a one-off meeting
    recurrence: RecurrenceConfig | None = None
    time: time = time(8, 0)  # local start of a recurring meeting
    remind_before: tuple[timedelta, ...] = (timedelta(days=1),)
    # Which reminders bring the briefing pack (issue 4): first, last, both (default) or none.
    pack: tuple[PackMoment, ...] = (PackMoment.FIRST, PackMoment.LAST)
    agenda_url: str | None = None  # an http(s) link shown in each reminder

    @property
    def rule(self) -> Recurrence | None:
        """The recurrence as bot.scheduler.next_occurrences takes it."""
        r = self.recurrence
        if r is None:
            return None
        return Recurrence(r.kind, self.time, r.day, r.weekday, r.week, r.month_of_quarter)


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    source: Path
    telegram: TelegramConfig
    storage: StorageConfig
    commune: CommuneConfig
    members: tuple[MemberConfig, ...]
    fields: tuple[FieldConfig, ...]
    limits: LimitsConfig
    privacy: PrivacyConfig
    outbox: OutboxConfig
    locale: str = "vi"
    calendar: CalendarConfig = CalendarConfig()
    deadlines: DeadlinesConfig = DeadlinesConfig()
    triage: TriageConfig = TriageConfig()
    committee_group: CommitteeGroupConfig = CommitteeGroupConfig()
    meetings: tuple[MeetingConfig, ...] = ()

    def member(self, member_id: str) -> MemberConfig:
        """The member with this id; KeyError if there is none."""
        for member in self.members:
            if member.id == member_id:
                return member
        raise KeyError(member_id)

    def find_field(self, field_id: str) -> FieldConfig | None:
        """The field with this id, or None (a case may outlive its field in config)."""
        return next((field for field in self.fields if field.id == field_id), None)

    def field(self, field_id: str) -> FieldConfig:
        """The field with this id; KeyError if there is none."""
        for field in self.fields:
            if field.id == field_id:
                return field
        raise KeyError(field_id)

    @property
    def chairs(self) -> tuple[MemberConfig, ...]:
        """Members with the chair role, or the deputies when nobody chairs."""
        for role in (Role.CHAIR, Role.DEPUTY):
            found = tuple(member for member in self.members if role in member.roles)
            if found:
                return found
        return ()


def load_config(
    path: Path, env: Mapping[str, str] | None = None, *, require_token: bool = True
) -> Config:
    """Read and validate the config file at `path`; `env` defaults to the process environment."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from None
    try:
        # utf-8-sig: editors on Windows like to prepend a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    return parse_config(text, path, env, require_token=require_token)


def sample_config_text() -> str:
    """The packaged sample config that `homthu demo` runs with."""
    return resources.files("bot").joinpath("sample_config.toml").read_text(encoding="utf-8")


def parse_config(
    text: str, source: Path, env: Mapping[str, str] | None = None, *, require_token: bool = True
) -> Config:
    """Validate config `text` as if read from `source` (relative paths resolve next to it)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message already says "(at line N, column M)".
        raise ConfigError(f"{source}: invalid TOML: {exc}") from None
    root = _Table(data, "", source)
    root.reject_unknown(_keys(Config) - {"source"})
    commune = _read_commune(root.table("commune", required=True))
    members = _read_members(root)
    return Config(
        source=source,
        telegram=_read_telegram(
            root.table("telegram"), os.environ if env is None else env, require_token
        ),
        storage=_read_storage(root.table("storage", required=True), source),
        commune=commune,
        members=members,
        fields=_read_fields(
            root, {member.id for member in members}, {m.id for m in members if m.on_duty}
        ),
        limits=_read_limits(root.table("limits")),
        privacy=_read_privacy(root.table("privacy"), commune),
        outbox=_read_outbox(root.table("outbox")),
        locale=root.choice("locale", "vi", LOCALES),
        calendar=_read_calendar(root.table("calendar")),
        deadlines=_read_deadlines(root.table("deadlines")),
        triage=_read_triage(root.table("triage")),
        committee_group=_read_committee_group(root.table("committee_group")),
        meetings=_read_meetings(root, tuple(member.id for member in members)),
    )


def _read_meetings(root: _Table, member_ids: tuple[str, ...]) -> tuple[MeetingConfig, ...]:
    meetings: list[MeetingConfig] = []
    for table in root.optional_tables("meetings"):
        table.reject_unknown(_keys(MeetingConfig))
        meeting_id = table.slug("id")
        if any(meeting.id == meeting_id for meeting in meetings):
            raise table.error("id", f'duplicate meeting id "{meeting_id}"')
        attendees = table.strings("attendees")
        if attendees == (ALL_MEMBERS,):
            attendees = member_ids
        elif not attendees:
            raise table.error("attendees", 'needs at least one member id, or ["all"]')
        for member_id in attendees:
            if member_id not in member_ids:
                raise table.error("attendees", f'unknown member id "{member_id}"')
        table.reject_duplicates("attendees", attendees, "member id")
        start = table.local_datetime("start")
        recurrence = _read_recurrence(table) if "recurrence" in table else None
        if (start is None) == (recurrence is None):
            raise table.error("start", "give either start (a one-off) or recurrence, not both")
        if start is not None and "time" in table:
            raise table.error("time", "only for a recurrence (start already has its time)")
        offsets: list[timedelta] = []
        for index, text in enumerate(table.strings("remind_before", ("1d",))):
            try:
                offsets.append(parse_offset(text))
            except ValueError as exc:
                raise table.error(f"remind_before[{index}]", str(exc)) from None
        table.reject_duplicates("remind_before", table.strings("remind_before", ()), "offset")
        pack = _read_pack_moments(table)  # briefing pack (issue 4)
        agenda_url = table.text("agenda_url", "", allow_empty=True) or None
        if agenda_url is not None and not valid_agenda_url(agenda_url):
            raise table.error("agenda_url", "an http:// or https:// address without spaces")
        meetings.append(
            MeetingConfig(
                id=meeting_id,
                title=table.text("title"),
                attendees=attendees,
                place=table.text("place"),
                start=start,
                recurrence=recurrence,
                time=table.clock_time("time", MeetingConfig.time),
                remind_before=tuple(offsets),
                pack=pack,
                agenda_url=agenda_url,
            )
        )
    return tuple(meetings)


def _read_pack_moments(meeting: _Table) -> tuple[PackMoment, ...]:
    """`[[meetings]] pack`: with which reminders the briefing pack goes."""
    words = meeting.strings("pack", tuple(m.value for m in MeetingConfig.pack))
    for index, word in enumerate(words):
        if word not in {m.value for m in PackMoment}:
            raise meeting.error(f"pack[{index}]", f'"{word}" is not one of first, last')
    meeting.reject_duplicates("pack", words, "moment")
    return tuple(PackMoment(word) for word in words)


def _read_recurrence(meeting: _Table) -> RecurrenceConfig:
    table = meeting.table("recurrence")
    table.reject_unknown(_keys(RecurrenceConfig))
    kind = RecurrenceKind(table.choice("kind", "", tuple(k.value for k in RecurrenceKind)))
    day = table.optional_integer("day", low=1, high=31)
    weekday = None
    week = table.optional_integer("week", low=-1, high=4)
    if "weekday" in table:
        weekday = table.choice("weekday", "", WEEKDAYS)
    if (day is None) == (weekday is None):
        raise table.error("day", "give either day or weekday (with week), not both")
    if weekday is not None and week in (None, 0):
        raise table.error("week", "1 to 4, or -1 for the last, with weekday")
    if weekday is None and week is not None:
        raise table.error("week", "only with weekday")
    if kind is RecurrenceKind.MONTHLY and "month_of_quarter" in table:
        raise table.error("month_of_quarter", 'only with kind = "quarterly"')
    return RecurrenceConfig(
        kind=kind,
        day=day,
        weekday=weekday,
        week=week,
        month_of_quarter=table.integer("month_of_quarter", 1, 1, 3),
    )


def _read_committee_group(table: _Table) -> CommitteeGroupConfig:
    table.reject_unknown(_keys(CommitteeGroupConfig))
    chat_id = table.integer("chat_id", 0, -(2**63), 0)
    return CommitteeGroupConfig(
        chat_id=chat_id, topics=table.boolean("topics", CommitteeGroupConfig.topics)
    )


def _read_telegram(table: _Table, env: Mapping[str, str], require_token: bool) -> TelegramConfig:
    for key in ("webhook_secret", "secret_token"):
        if key in table:
            raise table.error(key, f"never in the file: set the {WEBHOOK_SECRET_ENV} variable")
    table.reject_unknown(_keys(TelegramConfig))
    file_token = table.text("token", "", allow_empty=True)
    token = env.get(TOKEN_ENV, "").strip() or file_token
    if not token and require_token:
        raise table.error("token", f"required (set it here or in the {TOKEN_ENV} variable)")
    if any(char.isspace() for char in token):
        raise table.error("token", "must not contain spaces or line breaks")
    mode = table.choice("mode", TelegramConfig.mode, UPDATE_MODES)
    return TelegramConfig(
        token=token,
        base_url=table.url("base_url", TelegramConfig.base_url),
        base_file_url=table.url("base_file_url", TelegramConfig.base_file_url),
        poll_timeout=table.integer("poll_timeout", TelegramConfig.poll_timeout, 1, 50),
        http_client=table.choice("http_client", TelegramConfig.http_client, HTTP_CLIENTS),
        mode=mode,
        webhook_url=_webhook_url(table, mode),
        webhook_listen=table.text("webhook_listen", TelegramConfig.webhook_listen),
        webhook_port=table.integer("webhook_port", TelegramConfig.webhook_port, 1, 65535),
        webhook_path=_webhook_path(table),
        webhook_max_connections=table.integer(
            "webhook_max_connections", TelegramConfig.webhook_max_connections, 1, 100
        ),
        webhook_secret=_webhook_secret(table, env) if mode == "webhook" else "",
    )


def _webhook_url(table: _Table, mode: str) -> str:
    """The public URL; required (and checked) only when mode = "webhook"."""
    if mode != "webhook":
        return table.text("webhook_url", "", allow_empty=True)
    if not table.text("webhook_url", "", allow_empty=True):
        raise table.error("webhook_url", 'required with mode = "webhook"')
    return table.url("webhook_url", "")


def _webhook_path(table: _Table) -> str:
    path = table.text("webhook_path", TelegramConfig.webhook_path)
    if not _WEBHOOK_PATH.fullmatch(path):
        raise table.error("webhook_path", 'must start with "/" and hold only URL-safe characters')
    return path


def _webhook_secret(table: _Table, env: Mapping[str, str]) -> str:
    """The secret Telegram sends with every POST, from the environment only."""
    secret = env.get(WEBHOOK_SECRET_ENV, "").strip()
    if not secret:
        raise table.error("mode", f'"webhook" needs the {WEBHOOK_SECRET_ENV} variable set')
    if not _WEBHOOK_SECRET.fullmatch(secret):
        # Never echo the secret: say only what is wrong with it.
        raise table.error("mode", f"{WEBHOOK_SECRET_ENV} must be 1–256 of A-Z, a-z, 0-9, _ and -")
    return secret


def _read_storage(table: _Table, source: Path) -> StorageConfig:
    table.reject_unknown(_keys(StorageConfig))
    path = Path(table.text("path")).expanduser()
    if not path.is_absolute():
        # Anchor to the config, not the working directory, which differs under systemd.
        path = source.parent.absolute() / path
    retention = table.integer("retention_days", StorageConfig.retention_days, 0)
    if 0 < retention < 2:
        # Telegram re-delivers an unconfirmed update within about a day: its id must still be known.
        raise table.error(
            "retention_days", f"must be 0 (keep forever) or at least 2, got {retention}"
        )
    return StorageConfig(path=path, retention_days=retention)


def _read_commune(table: _Table) -> CommuneConfig:
    table.reject_unknown(_keys(CommuneConfig))
    name = table.text("name")
    code = table.text("code")
    if not _COMMUNE_CODE.fullmatch(code):
        raise table.error("code", f'must be 2–6 capital letters or digits, got "{code}"')
    timezone = table.text("timezone", CommuneConfig.timezone)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise table.error("timezone", f'unknown time zone "{timezone}"') from None
    villages = table.strings("villages", ())
    table.reject_duplicates("villages", villages, "village")
    return CommuneConfig(
        name=name,
        code=code,
        timezone=timezone,
        villages=villages,
        body_name=table.text("body_name", CommuneConfig.body_name),
    )


def _read_members(root: _Table) -> tuple[MemberConfig, ...]:
    tables = root.tables("members")
    members: list[MemberConfig] = []
    by_telegram_id: dict[int, str] = {}
    for table in tables:
        table.reject_unknown(_keys(MemberConfig))
        member_id = table.slug("id")
        if any(member.id == member_id for member in members):
            raise table.error("id", f'duplicate member id "{member_id}"')
        telegram_id = table.optional_integer("telegram_id", low=1)
        if telegram_id is not None:
            if telegram_id in by_telegram_id:
                owner = by_telegram_id[telegram_id]
                raise table.error("telegram_id", f'{telegram_id} is also member "{owner}"')
            by_telegram_id[telegram_id] = member_id
        members.append(
            MemberConfig(
                id=member_id,
                name=table.text("name"),
                roles=_read_roles(table),
                telegram_id=telegram_id,
                on_duty=table.boolean("on_duty", MemberConfig.on_duty),
            )
        )
    if not any(Role.CHAIR in member.roles for member in members):
        raise root.error("members", f'no member has the role "{Role.CHAIR}"')
    return tuple(members)


def _read_roles(table: _Table) -> frozenset[Role]:
    names = table.strings("roles")
    if not names:
        raise table.error("roles", "needs at least one role")
    known = {role.value for role in Role}
    for name in names:
        if name not in known:
            choices = ", ".join(role.value for role in Role)
            raise table.error("roles", f'unknown role "{name}" (choose from {choices})')
    return frozenset(Role(name) for name in names)


def _read_fields(root: _Table, member_ids: set[str], on_duty: set[str]) -> tuple[FieldConfig, ...]:
    fields: list[FieldConfig] = []
    for table in root.tables("fields"):
        table.reject_unknown(_keys(FieldConfig))
        field_id = table.slug("id")
        if any(field.id == field_id for field in fields):
            raise table.error("id", f'duplicate field id "{field_id}"')
        name = table.text("name")
        if len(name) > MAX_FIELD_NAME_CHARS:
            raise table.error("name", f"longer than {MAX_FIELD_NAME_CHARS} characters")
        if any(field.name == name for field in fields):
            raise table.error("name", f'another field is already named "{name}"')
        members = table.strings("members")
        if not members:
            # A case in a field nobody watches would wait unseen until its deadline.
            raise table.error("members", "needs at least one member id")
        for member_id in members:
            if member_id not in member_ids:
                raise table.error("members", f'unknown member id "{member_id}"')
        table.reject_duplicates("members", members, "member id")
        auto_assign = table.boolean("auto_assign", FieldConfig.auto_assign)
        if auto_assign and not on_duty.intersection(members):
            # The rotation would be empty: every case would silently fall back to the queue.
            raise table.error("auto_assign", "none of the field's members is on duty")
        fields.append(
            FieldConfig(
                id=field_id,
                name=name,
                members=members,
                answer_days=table.integer("answer_days", FieldConfig.answer_days, 1, 365),
                answer_day_kind=_day_kind(
                    table.choice("answer_day_kind", FieldConfig.answer_day_kind, DAY_KINDS)
                ),
                auto_assign=auto_assign,
            )
        )
    return tuple(fields)


def _read_limits(table: _Table) -> LimitsConfig:
    table.reject_unknown(_keys(LimitsConfig))
    defaults = LimitsConfig()
    document_types = table.strings("document_types", defaults.document_types)
    for media_type in document_types:
        if not _MEDIA_TYPE.fullmatch(media_type):
            raise table.error("document_types", f'"{media_type}" is not a lowercase MIME type')
    return LimitsConfig(
        submissions_per_day=table.integer("submissions_per_day", defaults.submissions_per_day, 1),
        max_text_chars=table.integer("max_text_chars", defaults.max_text_chars, 1),
        max_parts=table.integer("max_parts", defaults.max_parts, 1),
        max_document_bytes=table.integer("max_document_bytes", defaults.max_document_bytes, 1),
        document_types=document_types,
        messages_per_minute=table.integer("messages_per_minute", defaults.messages_per_minute, 1),
    )


def _read_privacy(table: _Table, commune: CommuneConfig) -> PrivacyConfig:
    table.reject_unknown(_keys(PrivacyConfig))
    controller = table.text("controller", "", allow_empty=True)
    return PrivacyConfig(
        consent_version=table.text("consent_version", PrivacyConfig.consent_version),
        controller=controller or f"Ủy ban nhân dân {_in_sentence(commune.name)}",
        contact=table.text("contact", "", allow_empty=True),
    )


def _read_outbox(table: _Table) -> OutboxConfig:
    table.reject_unknown(_keys(OutboxConfig))
    defaults = OutboxConfig()
    return OutboxConfig(
        global_rate=table.number("global_rate", defaults.global_rate),
        per_chat_rate=table.number("per_chat_rate", defaults.per_chat_rate),
        per_chat_burst=table.integer("per_chat_burst", defaults.per_chat_burst, 1),
        max_in_flight=table.integer("max_in_flight", defaults.max_in_flight, 1),
        max_backoff_seconds=table.number("max_backoff_seconds", defaults.max_backoff_seconds),
        flush_seconds=table.number("flush_seconds", defaults.flush_seconds, allow_zero=True),
    )


def _read_calendar(table: _Table) -> CalendarConfig:
    table.reject_unknown(_keys(CalendarConfig))
    extra_holidays = table.dates("extra_holidays")
    extra_working_days = table.dates("extra_working_days")
    for day in extra_working_days:
        if day in extra_holidays:
            raise table.error("extra_working_days", f"{day.isoformat()} is also in extra_holidays")
    return CalendarConfig(extra_holidays=extra_holidays, extra_working_days=extra_working_days)


def _read_triage(table: _Table) -> TriageConfig:
    table.reject_unknown(_keys(TriageConfig))
    defaults = TriageConfig()
    return TriageConfig(
        urgent_words=table.strings("urgent_words", defaults.urgent_words),
        emergency_numbers=table.text("emergency_numbers", defaults.emergency_numbers),
        complaint_guidance=table.text("complaint_guidance", "", allow_empty=True),
    )


def _read_deadlines(table: _Table) -> DeadlinesConfig:
    table.reject_unknown(_keys(DeadlinesConfig))
    defaults = DeadlinesConfig()
    before = table.integers(
        "remind_before_working_days", defaults.remind_before_working_days, 1, 365
    )
    if any(later >= earlier for earlier, later in itertools.pairwise(before)):
        listed = ", ".join(str(days) for days in before)
        raise table.error(
            "remind_before_working_days",
            f"must be strictly decreasing, like [3, 1]; got [{listed}]",
        )
    return DeadlinesConfig(
        remind_before_working_days=before,
        reminder_hour=table.integer("reminder_hour", defaults.reminder_hour, 0, 23),
        escalate_when_overdue=table.boolean(
            "escalate_when_overdue", defaults.escalate_when_overdue
        ),
        progress_note_every_days=table.integer(
            "progress_note_every_days", defaults.progress_note_every_days, 0, 365
        ),
        acknowledge_within_working_days=table.integer(
            "acknowledge_within_working_days", defaults.acknowledge_within_working_days, 1, 365
        ),
    )


def _day_kind(value: str) -> DayKind:
    # `choice` has already checked the value; this only narrows the type.
    return "calendar" if value == "calendar" else "working"


def _keys(cls: type) -> set[str]:
    """The keys a config file may hold for `cls` (secrets read from the environment excluded)."""
    return {
        field.name
        for field in dataclasses.fields(cls)
        if not field.metadata.get("environment_only")
    }


def _describe(value: object) -> str:
    """The TOML type of `value`, never the value itself (it may be a secret)."""
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a float"),
        (str, "a string"),
        (list, "an array"),
        (dict, "a table"),
        ((datetime, date, time), "a date or time"),
    ]
    return next((name for kind, name in kinds if isinstance(value, kind)), "a value")


class _Table:
    """One TOML table being read: typed getters whose errors carry the file and dotted key."""

    def __init__(self, data: Mapping[str, object], key: str, source: Path) -> None:
        self._data = data
        self._key = key
        self._source = source

    def error(self, key: str, message: str) -> ConfigError:
        """A ConfigError about `key` in this table."""
        dotted = f"{self._key}.{key}" if self._key else key
        return ConfigError(f"{self._source}: {dotted}: {message}")

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        """Fail on the first key not in `allowed`: a typo must not silently become a default."""
        known = sorted(allowed)
        for key, value in self._data.items():
            if key not in known:
                what = "unknown section" if isinstance(value, dict) else "unknown key"
                close = difflib.get_close_matches(key, known, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise self.error(key, what + hint)

    def reject_duplicates(self, key: str, values: Iterable[str], what: str) -> None:
        """Fail if `values` repeats itself."""
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise self.error(key, f'{what} "{value}" is listed twice')
            seen.add(value)

    def table(self, key: str, *, required: bool = False) -> _Table:
        """The sub-table `[key]`; empty when absent and not required."""
        value = self._data.get(key)
        if value is None and not required:
            value = {}
        if value is None:
            raise self.error(key, f"required section [{key}] is missing")
        if not isinstance(value, dict):
            raise self.error(key, f"expected a section [{key}], got {_describe(value)}")
        return _Table(value, f"{self._key}.{key}" if self._key else key, self._source)

    def tables(self, key: str) -> list[_Table]:
        """The array of tables `[[key]]`, which must have at least one entry."""
        value = self._data.get(key)
        if value is None or value == []:
            raise self.error(key, f"at least one [[{key}]] entry is required")
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(key, f"expected an array of tables ([[{key}]] entries)")
        return [_Table(item, f"{key}[{index}]", self._source) for index, item in enumerate(value)]

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def optional_tables(self, key: str) -> list[_Table]:
        """The array of tables `[[key]]`, possibly empty."""
        if self._data.get(key) in (None, []):
            return []
        return self.tables(key)

    def local_datetime(self, key: str) -> datetime | None:
        """A TOML local date-time (2026-12-05T08:00, no quotes, no offset), or None."""
        value = self._data.get(key)
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is not None:
            raise self.error(
                key, f"expected a local date-time like 2026-12-05T08:00, got {_describe(value)}"
            )
        return value

    def clock_time(self, key: str, default: time) -> time:
        """A local time of day written "08:00"."""
        value = self._data.get(key)
        if value is None:
            return default
        text = value if isinstance(value, str) else ""
        match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", text)
        if match is None:
            raise self.error(key, 'expected a time like "08:00"')
        return time(int(match.group(1)), int(match.group(2)))

    def text(self, key: str, default: str | None = None, *, allow_empty: bool = False) -> str:
        """A string, stripped; required when `default` is None."""
        value = self._data.get(key, default)
        if value is None:
            raise self.error(key, "required")
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {_describe(value)}")
        if not value.strip() and not allow_empty:
            raise self.error(key, "must not be empty")
        return value.strip()

    def slug(self, key: str) -> str:
        """A required identifier: 1–32 of lowercase letters, digits, '_' and '-'."""
        value = self.text(key)
        if not _SLUG.fullmatch(value):
            raise self.error(key, f'"{value}" must be 1–32 of a-z, 0-9, "_" and "-"')
        return value

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        """A string from a fixed list."""
        value = self.text(key, default)
        if value not in choices:
            raise self.error(key, f'"{value}" is not one of {", ".join(choices)}')
        return value

    def url(self, key: str, default: str) -> str:
        """An http(s) URL."""
        value = self.text(key, default)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise self.error(key, f'"{value}" is not an http:// or https:// URL')
        return value

    def strings(self, key: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """An array of non-empty strings; required when `default` is None."""
        value = self._data.get(key)
        if value is None:
            if default is None:
                raise self.error(key, "required")
            return default
        if not isinstance(value, list):
            raise self.error(key, f"expected an array of strings, got {_describe(value)}")
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{key}[{index}]", "expected a non-empty string")
            items.append(item.strip())
        return tuple(items)

    def dates(self, key: str) -> tuple[date, ...]:
        """An array of TOML local dates (2026-12-24, no quotes), none twice; empty when absent."""
        value = self._data.get(key, [])
        if not isinstance(value, list):
            raise self.error(key, f"expected an array of dates, got {_describe(value)}")
        days: list[date] = []
        for index, item in enumerate(value):
            # A TOML date-time is a Python datetime, itself a date: refuse it explicitly.
            if isinstance(item, datetime) or not isinstance(item, date):
                raise self.error(
                    f"{key}[{index}]",
                    f"expected a date like 2026-12-24 (no quotes, no time), got {_describe(item)}",
                )
            if item in days:
                raise self.error(key, f"{item.isoformat()} is listed twice")
            days.append(item)
        return tuple(days)

    def integers(self, key: str, default: tuple[int, ...], low: int, high: int) -> tuple[int, ...]:
        """An array of integers within [low, high], or `default` when absent."""
        value = self._data.get(key)
        if value is None:
            return default
        if not isinstance(value, list):
            raise self.error(key, f"expected an array of integers, got {_describe(value)}")
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, int):
                raise self.error(f"{key}[{index}]", f"expected an integer, got {_describe(item)}")
            if not low <= item <= high:
                raise self.error(f"{key}[{index}]", f"must be between {low} and {high}, got {item}")
        return tuple(value)

    def boolean(self, key: str, default: bool) -> bool:
        """true or false, or `default` when absent."""
        value = self._data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {_describe(value)}")
        return value

    def optional_integer(self, key: str, *, low: int, high: int | None = None) -> int | None:
        """An integer within [low, high], or None when absent."""
        value = self._data.get(key)
        if value is None:
            return None
        # bool is a subclass of int in Python, but `true` is never a sensible count.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected an integer, got {_describe(value)}")
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise self.error(key, f"must be {bounds}, got {value}")
        return value

    def integer(self, key: str, default: int, low: int, high: int | None = None) -> int:
        """An integer within [low, high], or `default` when absent."""
        value = self.optional_integer(key, low=low, high=high)
        return default if value is None else value

    def number(self, key: str, default: float, *, allow_zero: bool = False) -> float:
        """A finite positive number (integer or float), or `default` when absent."""
        value = self._data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"expected a number, got {_describe(value)}")
        if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
            bound = "zero or more" if allow_zero else "more than zero"
            raise self.error(key, f"must be a finite number {bound}, got {value}")
        return float(value)


def _in_sentence(name: str) -> str:
    """'Xã Mỹ Thành' as written inside a sentence: 'xã Mỹ Thành' (likewise phường, thị trấn)."""
    for unit in ("Xã ", "Phường ", "Thị trấn ", "Đặc khu "):
        if name.startswith(unit):
            return unit.lower() + name[len(unit) :]
    return name
