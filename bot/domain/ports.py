"""Ports: what services need from the outside world, as structural Protocols."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot.domain.briefing import CaseFacts, OpenConclusion, OverdueCase, PackMoment, ReopenedCase
from bot.domain.meetings import (
    AbsenceReason,
    Answer,
    ChatMeeting,
    MeetingReminder,
    Occurrence,
    Rsvp,
)
from bot.domain.model import (
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    CaseMessage,
    ChatRef,
    Member,
    MessageKind,
    Sender,
)
from bot.domain.outbound import Outbound, OutboxItem
from bot.domain.reminders import PlannedReminder, Reminder
from bot.domain.reports import ExportRow, RatingSummary, Statistics
from bot.domain.search_query import SearchQuery
from bot.domain.tasks import Conclusion, TaskReminder


@dataclass(frozen=True)
class CitizenRecord:
    """What services may know of a citizen: an internal id and the consent given."""

    id: int
    consent_version: str | None


@dataclass(frozen=True)
class NewCase:
    """Everything needed to insert a case."""

    code: str
    citizen_id: int
    field_id: str
    village: str | None
    kind: CaseKind
    anonymous: bool
    shared_name: str | None
    shared_phone: str | None
    created_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One line of the append-only audit log (never a citizen's identity or text)."""

    at: datetime
    actor: str
    action: str
    case_code: str | None
    detail: str | None


@dataclass(frozen=True)
class StoredDialog:
    """A chat's conversation in progress: which flow, which step, and its JSON data."""

    kind: str
    step: str
    data: str


@dataclass(frozen=True)
class AnswerTemplate:
    """A canned answer the chair keeps; `field_id` None offers it in every field."""

    id: int
    field_id: str | None
    title: str
    body: str
    created_by: str
    created_at: datetime


class Clock(Protocol):
    """Tells the time; services take one so tests control time."""

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)


class MessageSender(Protocol):
    """Delivers one outbound message on one channel.

    Returns the channel's id of the (first) sent message. Raises a `DeliveryError` subclass:
    `RetryLater`, `TransientFailure`, `ChatUnreachable` or `PermanentFailure`.
    """

    async def send(self, message: Outbound) -> str:
        """Send `message` and return the id of the message it created."""
        ...

    async def edit(self, message: Outbound, message_id: str) -> str:
        """Show `message` in place of the sent message `message_id`; returns that id.

        Content the message already shows counts as done. A message that cannot be edited
        (gone, too old, not text) raises `PermanentFailure`, so the caller sends a new one.
        """
        ...


class CitizenRepo(Protocol):
    """Sealed identities of citizens. Members' views never go through this."""

    async def touch(self, sender: Sender, now: datetime) -> CitizenRecord:
        """Find or create the citizen writing from `sender.chat`, refreshing the sealed details."""
        ...

    async def record_consent(self, citizen_id: int, version: str, now: datetime) -> None:
        """Record that the citizen agreed to the data notice `version`."""
        ...

    async def chat_of(self, citizen_id: int) -> ChatRef:
        """Where to deliver messages for this citizen (used by the system, never shown)."""
        ...

    async def mark_blocked(self, chat: ChatRef, now: datetime) -> None:
        """The citizen blocked the bot; answers stay readable via /tracuu."""
        ...


class MemberRepo(Protocol):
    """Committee members and how to reach them."""

    async def sync(self, members: Sequence[Member], now: datetime) -> None:
        """Make the table match the configured roster (new, changed, removed members)."""
        ...

    async def get(self, member_id: str) -> Member | None:
        """One member by id (active or not)."""
        ...

    async def by_chat(self, chat: ChatRef) -> Member | None:
        """The active member who writes from `chat`, if any."""
        ...

    async def all_active(self) -> list[Member]:
        """Every active member."""
        ...

    async def set_reachable(self, member_id: str, reason: str | None, now: datetime) -> bool:
        """Mark reachable (reason None) or not; returns True if this changed anything."""
        ...

    async def set_deactivated(self, member_id: str, now: datetime | None) -> bool:
        """Deactivate (now) or reactivate (None) a member; True if that changed anything."""
        ...

    async def bind_chat(self, member_id: str, chat: ChatRef, now: datetime) -> None:
        """Reach this member in `chat` from now on (they opened an invite link there)."""
        ...

    async def create_invite(
        self, token: str, member_id: str, created_by: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a one-time invite for a configured member."""
        ...

    async def redeem_invite(self, token: str, now: datetime) -> str | None:
        """Use an unexpired, unused invite once; the member it was for, or None."""
        ...


class CaseRepo(Protocol):
    """Cases, their threads and their recorded events."""

    async def next_sequence(self, day: str) -> int:
        """The next daily sequence number for local date `day` (YYYY-MM-DD)."""
        ...

    async def create(self, new: NewCase) -> Case:
        """Insert a case and return it."""
        ...

    async def get(self, case_id: int) -> Case | None:
        """A case by id."""
        ...

    async def by_code(self, code: str) -> Case | None:
        """A case by its tracking code."""
        ...

    async def citizen_of(self, case_id: int) -> int:
        """The internal id of the case's citizen (sealed; for delivery and ownership checks)."""
        ...

    async def count_since(self, citizen_id: int, since: datetime) -> int:
        """How many cases this citizen submitted since `since`."""
        ...

    async def update(self, case: Case, now: datetime) -> None:
        """Store a changed state, assignee or answer time."""
        ...

    async def add_message(
        self,
        case_id: int,
        kind: MessageKind,
        body: str | None,
        member_id: str | None,
        attachments: Sequence[Attachment],
        now: datetime,
    ) -> int:
        """Append a message (and its attachments) to the case's thread."""
        ...

    async def messages(self, case_id: int) -> list[CaseMessage]:
        """The case's thread, oldest first."""
        ...

    async def add_event(self, event: CaseEvent) -> None:
        """Record who did what to the case."""
        ...

    async def merged_into(self, target_id: int) -> list[Case]:
        """The duplicates merged into a case."""
        ...

    async def add_supporter(
        self, case_id: int, member_id: str, added_by: str, now: datetime
    ) -> bool:
        """Ask a member to support the lead on this case; False if they already do."""
        ...

    async def supporters(self, case_id: int) -> dict[str, bool]:
        """Supporting members of the case and whether each has contributed a note yet."""
        ...

    async def mark_contributed(self, case_id: int, member_id: str, now: datetime) -> None:
        """A supporting member contributed their note."""
        ...

    async def exclude(self, case_id: int, member_ids: Sequence[str]) -> None:
        """Hide the case from these members (it names them)."""
        ...

    async def excluded(self, case_id: int) -> set[str]:
        """Members the case is hidden from."""
        ...

    async def open_cases(
        self,
        *,
        assignee_id: str | None = None,
        field_ids: Sequence[str] | None = None,
        due_before: datetime | None = None,
        hidden_from: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[Case], int]:
        """Open cases (oldest deadline first) matching the filters, and how many match in all."""
        ...

    async def events(self, case_id: int) -> list[CaseEvent]:
        """The case's recorded events, oldest first."""
        ...

    async def last_auto_assignments(self, member_ids: Sequence[str]) -> dict[str, int]:
        """For each member ever auto-assigned a case, the event id of their latest one."""
        ...


class AnswerTemplateRepo(Protocol):
    """Canned answers, per field or for every field."""

    async def add(
        self, field_id: str | None, title: str, body: str, created_by: str, now: datetime
    ) -> AnswerTemplate:
        """Store a template and return it."""
        ...

    async def get(self, template_id: int) -> AnswerTemplate | None:
        """A template that has not been deleted."""
        ...

    async def all(self) -> list[AnswerTemplate]:
        """Every template not deleted."""
        ...

    async def for_field(self, field_id: str, limit: int) -> list[AnswerTemplate]:
        """The templates offered for a case of `field_id` (its own, then all-fields ones)."""
        ...

    async def delete(self, template_id: int, now: datetime) -> bool:
        """Mark a template deleted; False if there was no such live template."""
        ...


class DialogRepo(Protocol):
    """The current multi-step conversation of each chat."""

    async def get(self, chat: ChatRef) -> StoredDialog | None:
        """The chat's dialog, if one is in progress."""
        ...

    async def put(self, chat: ChatRef, dialog: StoredDialog, now: datetime) -> None:
        """Store or replace the chat's dialog."""
        ...

    async def delete(self, chat: ChatRef) -> None:
        """End the chat's dialog."""
        ...


class StatsRepo(Protocol):
    """Read-only figures over the cases received in a period, for reports and exports."""

    async def statistics(self, start_utc: datetime, end_utc: datetime, now: datetime) -> Statistics:
        """The figures for cases received in [start_utc, end_utc); `now` decides what is overdue."""
        ...

    async def cases_for_export(
        self, start_utc: datetime, end_utc: datetime, include_identity: bool
    ) -> list[ExportRow]:
        """Cases received in [start_utc, end_utc); shared identity only if asked, never anonymous."""
        ...


class ReminderRepo(Protocol):
    """Deadline reminders stored as rows; each is sent or skipped exactly once."""

    async def schedule(self, case_id: int, rows: Sequence[PlannedReminder]) -> int:
        """Store pending reminders (a skipped identical one becomes pending again); how many."""
        ...

    async def due(self, now: datetime, limit: int) -> list[Reminder]:
        """Pending reminders due by `now`: every due one of at most `limit` cases."""
        ...

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder went out; False if it was no longer pending."""
        ...

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not go out; False if it was no longer pending."""
        ...

    async def cancel_open(self, case_id: int, now: datetime) -> int:
        """Skip every pending reminder of a case; returns how many."""
        ...

    async def pending_count(self) -> int:
        """How many reminders are still pending."""
        ...


class BriefingRepo(Protocol):
    """What a meeting's briefing pack reads, and the record of packs sent (issue 4)."""

    async def previous_start(self, meeting_id: str, before: datetime) -> datetime | None:
        """When the same meeting last took place before `before`."""
        ...

    async def latest_started(self, now: datetime) -> Occurrence | None:
        """The most recent occurrence that has started and was not cancelled."""
        ...

    async def case_facts(self, since: datetime, until: datetime, now: datetime) -> list[CaseFacts]:
        """Cases received or answered in [since, until), or overdue at `now`."""
        ...

    async def overdue_cases(self, now: datetime) -> list[OverdueCase]:
        """Open cases past their deadline at `now`, the longest overdue first."""
        ...

    async def ratings(
        self, since: datetime, until: datetime
    ) -> tuple[RatingSummary, dict[int, int]]:
        """Citizens' ratings in [since, until): the summary and the count per score."""
        ...

    async def reopened(self, since: datetime, until: datetime) -> list[ReopenedCase]:
        """Cases the citizen reopened in [since, until)."""
        ...

    async def open_conclusions(self, since: datetime) -> list[OpenConclusion]:
        """Meeting conclusions and tasks not done yet."""
        ...

    async def claim_pack(self, occurrence_id: int, moment: PackMoment, now: datetime) -> bool:
        """Record that an occurrence's pack for `moment` goes now; False if it already went."""
        ...


class MeetingRepo(Protocol):
    """Meeting occurrences, attendees' reminders (each sent or skipped once) and answers."""

    async def add_occurrence(
        self, meeting_id: str, starts_at: datetime, holiday: str | None
    ) -> int:
        """The occurrence at `starts_at`, stored if new; returns its id."""
        ...

    async def plan_reminders(
        self,
        occurrence_id: int,
        member_ids: Sequence[str],
        due: Sequence[datetime],
        reopen_after: datetime | None = None,
    ) -> int:
        """Each member's reminder at each time, stored once (a skipped one due after
        `reopen_after` pending again); returns how many rows changed."""
        ...

    async def skip_pending(self, occurrence_id: int, now: datetime) -> int:
        """Skip every pending reminder of one occurrence; returns how many."""
        ...

    async def move(self, occurrence_id: int, starts_at: datetime, holiday: str | None) -> bool:
        """Give a live occurrence a new start; False if it is cancelled or retired."""
        ...

    async def cancel(self, occurrence_id: int, now: datetime) -> bool:
        """Cancel a live occurrence; False if it already was cancelled or retired."""
        ...

    async def retire(self, occurrence_id: int, now: datetime) -> bool:
        """Take an occurrence the config no longer schedules out of lists and reminders."""
        ...

    async def configured_ahead(self, now: datetime) -> list[Occurrence]:
        """Live occurrences of configured meetings that have not started."""
        ...

    async def plan_summary(self, occurrence_id: int, due_at: datetime, *, again: bool) -> None:
        """When the secretary's summary is due; `again` re-arms one already sent."""
        ...

    async def summaries_due(self, now: datetime) -> list[Occurrence]:
        """Live occurrences whose secretary's summary fell due and is neither sent nor skipped."""
        ...

    async def finish_summary(self, occurrence_id: int, now: datetime, *, sent: bool) -> bool:
        """Record the summary as sent (or skipped); False if it already was either."""
        ...

    async def clear_answers(self, occurrence_id: int) -> int:
        """Forget every answer to an occurrence."""
        ...

    async def add_chat_meeting(
        self,
        title: str,
        place: str,
        agenda_url: str | None,
        attendees: Sequence[str],
        remind_before: Sequence[timedelta],
        created_by: str,
        now: datetime,
    ) -> int:
        """Store a meeting created from the chat; returns its number."""
        ...

    async def chat_meeting(self, number: int) -> ChatMeeting | None:
        """A meeting created from the chat, or None."""
        ...

    async def due(self, now: datetime, limit: int) -> list[MeetingReminder]:
        """Pending reminders due by `now`: every due one of at most `limit` occurrences."""
        ...

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder went out; False if it was no longer pending."""
        ...

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not go out; False if it was no longer pending."""
        ...

    async def occurrence(self, occurrence_id: int) -> Occurrence | None:
        """One occurrence, or None."""
        ...

    async def upcoming(self, now: datetime, limit: int) -> list[Occurrence]:
        """Occurrences not yet started nor cancelled, soonest first."""
        ...

    async def holidays_to_flag(self, now: datetime) -> list[Occurrence]:
        """Upcoming occurrences on a holiday the secretary has not been told of."""
        ...

    async def mark_holiday_flagged(self, occurrence_id: int, now: datetime) -> bool:
        """Record that the secretary was told; False if they already were."""
        ...

    async def answer(
        self,
        occurrence_id: int,
        member_id: str,
        answer: Answer,
        reason: AbsenceReason | None,
        now: datetime,
        note: str | None = None,
    ) -> None:
        """Store a member's answer (and typed reason), replacing an earlier one."""
        ...

    async def answers(self, occurrence_id: int) -> list[Rsvp]:
        """Every answer to one occurrence."""
        ...

    async def live_rolls(self, occurrence_id: int) -> dict[str, int]:
        """Each secretary's live attendance list of an occurrence: member id → outbox id."""
        ...

    async def set_live_roll(self, occurrence_id: int, member_id: str, outbox_id: int) -> None:
        """Remember the outbox row now showing a secretary's live attendance list."""
        ...


class MinutesRepo(Protocol):
    """Meeting minutes: past occurrences, actual attendance, conclusions and their tasks."""

    async def past_occurrences(self, now: datetime, limit: int) -> list[Occurrence]:
        """Occurrences that have started and were not cancelled, latest first."""
        ...

    async def attendance(self, occurrence_id: int) -> dict[str, bool]:
        """Who was recorded present (True) or absent (False) at an occurrence."""
        ...

    async def record_attendance(
        self, occurrence_id: int, present: dict[str, bool], by: str, now: datetime
    ) -> None:
        """Record (or correct) whether each member attended."""
        ...

    async def add_conclusion(
        self, occurrence_id: int, text: str, created_by: str, now: datetime
    ) -> Conclusion:
        """Store a new conclusion of an occurrence."""
        ...

    async def conclusion(self, conclusion_id: int) -> Conclusion | None:
        """One conclusion, or None."""
        ...

    async def conclusions(self, occurrence_id: int) -> list[Conclusion]:
        """An occurrence's conclusions in the order they were recorded."""
        ...

    async def make_task(self, conclusion_id: int, owner_id: str, due_on: date) -> bool:
        """Give a conclusion an owner and a due day; False if it is already a task."""
        ...

    async def link_case(self, conclusion_id: int, case_id: int) -> None:
        """Say which case a conclusion is about."""
        ...

    async def mark_relayed(self, conclusion_id: int, now: datetime) -> bool:
        """Record that the conclusion reached its case's citizen; False if it already had."""
        ...

    async def mark_done(self, conclusion_id: int, by: str, now: datetime) -> bool:
        """Record that a task was done; False if it already was."""
        ...

    async def open_tasks(self, owner_id: str | None, limit: int) -> list[Conclusion]:
        """Tasks not done yet (of one owner, or everyone's), earliest due day first."""
        ...


class TaskReminderRepo(Protocol):
    """Reminders and escalations of meeting tasks."""

    async def schedule(self, conclusion_id: int, rows: Sequence[PlannedReminder]) -> int:
        """Store pending reminders of a task, each once; returns how many are new."""
        ...

    async def due(self, now: datetime, limit: int) -> list[TaskReminder]:
        """Pending reminders due by `now`: every due one of at most `limit` tasks."""
        ...

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder's messages were queued; False if it was no longer pending."""
        ...

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not be sent; False if it was no longer pending."""
        ...

    async def cancel_open(self, conclusion_id: int, now: datetime) -> int:
        """Skip every pending reminder of a task; returns how many."""
        ...


class CaseTopicRepo(Protocol):
    """Which forum topic of the committee group belongs to which case."""

    async def thread_of(self, case_id: int) -> str | None:
        """The case's topic (message thread id), if one was created."""
        ...

    async def case_in(self, chat: ChatRef, thread_id: str) -> int | None:
        """The case whose topic this is, if any."""
        ...

    async def remember(self, case_id: int, chat: ChatRef, thread_id: str) -> None:
        """Record the case's topic (the first one recorded wins)."""
        ...


class TopicLedger(Protocol):
    """What the sender asks, outside any use case's transaction, about cases' forum topics."""

    async def thread_of(self, case_id: int) -> str | None:
        """The case's topic, if one was recorded."""
        ...

    async def remember(self, case_id: int, chat: ChatRef, thread_id: str) -> str:
        """Record a new topic; returns the case's topic (an earlier one if there was one)."""
        ...


@dataclass(frozen=True)
class SearchScope:
    """Which cases a member's search may return (the rule of services/access.py)."""

    member_id: str
    all_fields: bool  # a chair or deputy
    field_ids: Sequence[str]  # the fields they are listed for
    formal_route: bool  # reception: complaints and denunciations of every field


@dataclass(frozen=True)
class SearchHit:
    """A case found, with the text of its newest message that matched."""

    case: Case
    body: str


class CaseSearch(Protocol):
    """Full-text search over case threads."""

    async def search(
        self, query: SearchQuery, scope: SearchScope, *, limit: int, offset: int = 0
    ) -> tuple[list[SearchHit], bool]:
        """One page of matching cases, newest match first, and whether more follow."""
        ...


class UnitOfWork(Protocol):
    """Everything one use case may touch, inside one transaction."""

    @property
    def citizens(self) -> CitizenRepo:
        """Sealed citizen identities."""
        ...

    @property
    def members(self) -> MemberRepo:
        """Committee members."""
        ...

    @property
    def cases(self) -> CaseRepo:
        """Cases and their threads."""
        ...

    @property
    def dialogs(self) -> DialogRepo:
        """Conversations in progress."""
        ...

    @property
    def stats(self) -> StatsRepo:
        """Statistics and export rows (reads only)."""
        ...

    @property
    def reminders(self) -> ReminderRepo:
        """Deadline reminders, escalations and progress notes."""
        ...

    @property
    def templates(self) -> AnswerTemplateRepo:
        """Canned answers."""
        ...

    @property
    def meetings(self) -> MeetingRepo:
        """The committee's meetings, reminders and answers."""
        ...

    @property
    def topics(self) -> CaseTopicRepo:
        """Cases' forum topics in the committee group."""
        ...

    @property
    def minutes(self) -> MinutesRepo:
        """Meeting minutes: attendance, conclusions, tasks."""
        ...

    @property
    def task_reminders(self) -> TaskReminderRepo:
        """Reminders and escalations of meeting tasks."""
        ...

    @property
    def search(self) -> CaseSearch:
        """Full-text search over case threads."""
        ...

    @property
    def briefing(self) -> BriefingRepo:
        """What meetings' briefing packs read."""
        ...

    async def claim_update(self, channel: str, update_id: str, now: datetime) -> bool:
        """Record an inbound update as handled; False if it already was (a re-delivery)."""
        ...

    async def enqueue(self, messages: Sequence[Outbound], now: datetime) -> list[int]:
        """Queue messages in the outbox, committed with the rest of the transaction; returns
        their outbox ids, in order (for a later message that replaces one, see `REPLACES`)."""
        ...

    async def case_for_reply(self, chat: ChatRef, message_id: str) -> int | None:
        """The case a sent message was about (so a reply to it is about that case)."""
        ...

    async def secret(self) -> bytes:
        """The installation's secret for tracking-code check characters."""
        ...

    async def audit(
        self, actor: str, action: str, case_id: int | None, detail: str | None, now: datetime
    ) -> None:
        """Append to the audit log (never a citizen's identity or message text)."""
        ...

    async def audit_entries(self, start: datetime, end: datetime) -> list[AuditEntry]:
        """The audit log between two instants, oldest first."""
        ...


class Storage(Protocol):
    """Opens units of work."""

    def transaction(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """Begin a write transaction; commits when the block ends, rolls back if it raises."""
        ...


class OutboxQueue(Protocol):
    """The stored outbox as the dispatcher sees it."""

    async def due(
        self,
        now: datetime,
        limit: int,
        exclude_chats: Collection[ChatRef] = (),
        *,
        oldest_first: bool = False,
    ) -> list[OutboxItem]:
        """Each due chat's oldest pending message, up to `limit`: highest lane first, or oldest."""
        ...

    async def next_due_at(self, exclude_chats: Collection[ChatRef] = ()) -> datetime | None:
        """When the next pending message falls due."""
        ...

    async def chain_of(
        self, chat: ChatRef, now: datetime, limit: int
    ) -> tuple[list[OutboxItem], datetime] | None:
        """The chat's oldest pending message and when it is due; if due by `now`, with the
        messages that follow it, due too, up to `limit` in all. None if none is pending."""
        ...

    async def mark_sent_many(self, sent: Sequence[tuple[OutboxItem, str, datetime]]) -> None:
        """Record deliveries (and the links from the sent messages to their cases) at once."""
        ...

    async def sent_message_id(self, item_id: int, chat: ChatRef) -> str | None:
        """The channel's id of the message outbox row `item_id` put in `chat`, if it was sent."""
        ...

    async def reschedule(self, item_id: int, at: datetime, error: str) -> None:
        """Try again at `at`."""
        ...

    async def mark_failed(self, item_id: int, error: str) -> None:
        """Give up on a message that can never be delivered."""
        ...

    async def pending_count(self) -> int:
        """How many messages wait to be sent."""
        ...
