"""Composition root: builds the database, services, channels, handlers; tears them down in reverse."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest

from bot.channels.telegram_aiohttp_request import AiohttpRequest
from bot.channels.telegram_builtin_request import BuiltinRequest
from bot.channels.telegram_polling import Batch, CommitThenConfirmPoller
from bot.channels.telegram_raw_bot import RawResultBot
from bot.channels.telegram_sender import TelegramSender
from bot.channels.telegram_updates import UpdateHandler, through_application
from bot.channels.telegram_webhook import WebhookReceiver
from bot.config import Config
from bot.domain.errors import StorageBusy
from bot.domain.ports import Clock, SystemClock
from bot.domain.working_days import load_vietnam_calendar
from bot.handlers.telegram_handlers import COMMANDS, LeanDispatch, register
from bot.handlers.translate import CHANNEL
from bot.scheduler import Metronome, next_occurrences
from bot.services.case_topics import StoredTopicLedger
from bot.services.deadlines import DeadlineSweeper
from bot.services.mailbox import Mailbox
from bot.services.meetings import MeetingSweeper
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.services.rendering import Renderer
from bot.services.task_reminders import TaskSweeper
from bot.storage.database import Database
from bot.storage.outbox_store import OutboxStore
from bot.storage.retention import StoredRetention
from bot.storage.unit_of_work import SqliteStorage
from bot.texts.catalogue import load_texts

log = logging.getLogger(__name__)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]
ALLOWED_UPDATES = ("message", "callback_query")
# How often the deadline sweep looks for due reminders; they are due at whole local hours.
SWEEP_SECONDS = 60.0
# New container objects between two young garbage collections (CPython's default: 700).
GC_YOUNG_THRESHOLD = 20_000


@dataclass
class Homthu:
    """A running bot: what was built, kept so it can be stopped in reverse order."""

    config: Config
    db: Database
    mailbox: Mailbox
    dispatcher: OutboxDispatcher
    telegram: TelegramApp
    poller: CommitThenConfirmPoller | WebhookReceiver  # how updates arrive: [telegram] mode
    metronome: Metronome

    async def stop(self) -> None:
        """Stop sweeps and intake, finish in-flight work, flush the outbox, close the database."""
        await self.metronome.stop()
        await self.poller.stop()
        if self.telegram.running:
            await self.telegram.stop()
        await self.dispatcher.stop(self.config.outbox.flush_seconds)
        await self.telegram.shutdown()
        await self.db.close()
        log.info("stopped")


def build_telegram(config: Config) -> TelegramApp:
    """The PTB application, talking to Telegram or to the sandbox at `base_url`."""
    # Read RetryAfter.retry_after as a timedelta (PTB 22's forward-compatible behaviour).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    loopback = urlparse(config.telegram.base_url).hostname in ("127.0.0.1", "localhost", "::1")
    # Proxy variables must never capture traffic to a local Bot API server or the sandbox.
    httpx_kwargs = {"trust_env": False} if loopback else {}
    poll = config.telegram.poll_timeout

    def request(pool: int, read_timeout: float = 5.0) -> BaseRequest:
        if config.telegram.http_client == "builtin":
            return BuiltinRequest(pool, read_timeout, trust_env=not loopback)
        if config.telegram.http_client == "aiohttp":
            return AiohttpRequest(pool, read_timeout, trust_env=not loopback)
        return HTTPXRequest(pool, read_timeout, httpx_kwargs=httpx_kwargs)

    # RawResultBot: TelegramSender's text sends and edits skip building PTB objects.
    bot = RawResultBot(
        config.telegram.token,
        base_url=config.telegram.base_url,
        base_file_url=config.telegram.base_file_url,
        request=request(32),
        get_updates_request=request(2, poll + 10),
    )
    return (
        ApplicationBuilder()
        .bot(bot)
        .updater(None)  # CommitThenConfirmPoller replaces PTB's Updater; see its docstring
        .build()
    )


async def start(config: Config, clock: Clock | None = None) -> Homthu:
    """Build everything in order and start polling."""
    clock = clock or SystemClock()
    db = await Database.open(config.storage.path)
    try:
        texts = load_texts(config.locale)
        field_names = {f.id: f.name for f in config.fields}
        render = Renderer(texts, config.commune.tz, field_names)
        storage = SqliteStorage(db)
        calendar = load_vietnam_calendar(
            config.calendar.extra_holidays, config.calendar.extra_working_days
        )
        mailbox = Mailbox(storage, config, render, clock, calendar)
        await mailbox.sync_members()
        telegram = build_telegram(config)
        out = config.outbox
        dispatcher = OutboxDispatcher(
            OutboxStore(db),
            {CHANNEL: TelegramSender(telegram.bot, StoredTopicLedger(storage))},
            clock,
            global_rate=out.global_rate,
            per_chat_rate=out.per_chat_rate,
            per_chat_burst=out.per_chat_burst,
            max_in_flight=out.max_in_flight,
            max_backoff=out.max_backoff_seconds,
            on_unreachable=mailbox.handle_undeliverable,
        )
        storage.on_outbox = dispatcher.committed
        sweeper = DeadlineSweeper(storage, config, render, calendar, clock)
        meetings = MeetingSweeper(storage, config, render, calendar, clock, next_occurrences)
        tasks = TaskSweeper(storage, config, render, calendar, clock)

        days = config.storage.retention_days
        retention = StoredRetention(db, days) if days else None

        async def sweep_all() -> int:
            """Deadline, meeting and task reminders, then pruning: one metronome for all."""
            sent = await sweeper.sweep() + await meetings.sweep() + await tasks.sweep()
            if retention is not None:
                await retention.prune(clock.now())
            return sent

        metronome = Metronome(sweep_all, every_seconds=SWEEP_SECONDS)
        register(telegram, mailbox, config.committee_group.chat_id or None)
        await telegram.initialize()
        mailbox.bot_username = telegram.bot.username
    except BaseException:
        await db.close()
        raise
    lean = LeanDispatch(telegram, mailbox, fallback=through_application(telegram))
    poller = build_intake(config, telegram, batch=db.batch, handle=lean)
    app = Homthu(config, db, mailbox, dispatcher, telegram, poller, metronome)
    await _announce_commands(telegram)
    # Mail left pending by a crash goes out first, then intake resumes where Telegram left off.
    dispatcher.start()
    # Reminders that fell due while the bot was down are swept at once, then every minute.
    metronome.start()
    await telegram.start()
    try:
        await poller.start()
    except BaseException:
        await app.stop()  # e.g. the webhook port is taken: close what was opened, then fail
        raise
    if isinstance(poller, CommitThenConfirmPoller):
        log.info("polling for updates")
    return app


def build_intake(
    config: Config,
    telegram: TelegramApp,
    batch: Batch = nullcontext,
    handle: UpdateHandler | None = None,
) -> CommitThenConfirmPoller | WebhookReceiver:
    """Long polling, or the webhook server, as `[telegram] mode` says; `handle` handles each
    update's JSON (by default through the Application's handler table)."""

    def busy(exc: BaseException) -> bool:
        return isinstance(exc, StorageBusy)

    settings = config.telegram
    if settings.mode == "webhook":
        return WebhookReceiver(
            telegram,
            url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            path=settings.webhook_path,
            max_connections=settings.webhook_max_connections,
            allowed_updates=ALLOWED_UPDATES,
            retryable=busy,
            handle=handle,
        )
    return CommitThenConfirmPoller(
        telegram,
        timeout=settings.poll_timeout,
        allowed_updates=ALLOWED_UPDATES,
        retryable=busy,
        batch=batch,
        handle=handle,
    )


async def _announce_commands(telegram: TelegramApp) -> None:
    """Publish the command menu; a failure here must not stop the mailbox."""
    try:
        await telegram.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except Exception as exc:
        log.warning("could not set the command menu: %s", type(exc).__name__)


async def run(config: Config) -> None:
    """Run until SIGTERM or SIGINT, then stop gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    app = await start(config)
    _spare_the_collector()
    try:
        await stop.wait()
        log.info("stopping")
    finally:
        await app.stop()


def _spare_the_collector() -> None:
    """Keep the garbage collector off what lives as long as the process, once it is built.

    Without this, each full collection walks everything `start` built (config, texts, PTB, the
    stores) again: two per 2,400 updates of bench.intake, about 35 ms each. And handling an
    update makes thousands of short-lived objects, so a young collection every 700 of them
    mostly moves objects about to die into older generations. Collector time in that run:
    about 150 ms before, 35-60 ms after, of 2.5-3 s of CPU.
    """
    gc.collect()  # start-up's garbage is freed, not frozen
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)
