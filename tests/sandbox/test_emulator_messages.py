"""Sending, copying, editing and deleting messages through a real telegram.Bot."""

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, InvalidToken
from telegram.request import HTTPXRequest

from sandbox import BotApiEmulator

USER = 42


async def test_get_me_describes_the_configured_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "homthu_bot", True)


async def test_escaped_html_reaches_the_user_literally(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    sent = await bot.send_message(USER, "&lt;b&gt; là <b>đậm</b>", parse_mode=ParseMode.HTML)
    shown = emu.bot_messages(USER)[-1]
    assert shown["text"] == sent.text == "<b> là đậm"
    assert shown["entities"] == [{"type": "bold", "offset": 7, "length": 3}]
    assert shown["_html"] == "&lt;b&gt; là <b>đậm</b>"
    assert sent.text_html == "&lt;b&gt; là <b>đậm</b>"


@pytest.mark.parametrize(
    "html", ["<b>bold", "a < b", "AT&T", "<script>x</script>", "<b><i>x</b></i>"]
)
async def test_invalid_html_is_a_bad_request(emu: BotApiEmulator, bot: Bot, html: str) -> None:
    emu.send_text(USER, "hi")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER, html, parse_mode=ParseMode.HTML)
    assert emu.bot_messages(USER) == []


async def test_text_limits_follow_telegram(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)


async def test_callback_data_over_64_bytes_is_refused(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="đ" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "chọn", reply_markup=too_long)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="đ" * 32)]])
    sent = await bot.send_message(USER, "chọn", reply_markup=fits)
    assert sent.reply_markup == fits


async def test_reply_parameters_set_reply_to_message(emu: BotApiEmulator, bot: Bot) -> None:
    asked = emu.send_text(USER, "Khi nào sửa đường?")
    await bot.send_message(USER, "Tuần sau", reply_parameters=ReplyParameters(asked["message_id"]))
    reply = emu.bot_messages(USER)[-1]
    assert reply["reply_to_message"]["text"] == "Khi nào sửa đường?"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(USER, "x", reply_parameters=ReplyParameters(999))


async def test_message_ids_are_shared_by_both_directions(emu: BotApiEmulator, bot: Bot) -> None:
    first = emu.send_text(USER, "một")
    sent = await bot.send_message(USER, "hai")
    third = emu.send_text(USER, "ba")
    assert [first["message_id"], sent.message_id, third["message_id"]] == [1, 2, 3]
    assert [m["from"]["is_bot"] for m in emu.messages(USER)] == [False, True, False]


async def test_copy_message_leaves_no_forward_origin(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    emu.send_text(7, "Ổ gà ở thôn 3")
    copied = await bot.copy_message(USER, from_chat_id=7, message_id=1)
    shown = emu.bot_messages(USER)[-1]
    assert shown["message_id"] == copied.message_id
    assert shown["text"] == "Ổ gà ở thôn 3"
    assert "forward_origin" not in shown
    forwarded = await bot.forward_message(USER, from_chat_id=7, message_id=1)
    assert forwarded.forward_origin is not None


async def test_edit_refusals_match_telegram(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    sent = await bot.send_message(USER, "Đang xử lý")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Đang xử lý", USER, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    await bot.edit_message_text("Đã xong", USER, sent.message_id)
    assert emu.bot_messages(USER)[-1]["text"] == "Đã xong"


async def test_edit_without_markup_removes_the_keyboard(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Gửi", callback_data="send")]])
    sent = await bot.send_message(USER, "Xác nhận?", reply_markup=keyboard)
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    assert "reply_markup" not in emu.bot_messages(USER)[-1]
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)


async def test_delete_message_removes_it(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    sent = await bot.send_message(USER, "tạm")
    assert await bot.delete_message(USER, sent.message_id)
    assert emu.bot_messages(USER) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_document_upload_downloads_the_same_bytes(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    sent = await bot.send_document(
        USER,
        b"%PDF report",
        filename="bao-cao.pdf",
        caption="<i>kèm</i>",
        parse_mode=ParseMode.HTML,
    )
    assert sent.document is not None and sent.document.file_name == "bao-cao.pdf"
    assert sent.caption == "kèm"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF report"
    resent = await bot.send_document(USER, sent.document.file_id)
    assert resent.document is not None and resent.document.file_id == sent.document.file_id


async def test_user_media_can_be_downloaded_by_the_bot(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_document(USER, file_name="don.pdf", data=b"%PDF don")
    photo = emu.send_photo(USER, caption="ảnh")
    document = emu.messages(USER)[0]["document"]
    file = await bot.get_file(document["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"%PDF don"
    largest = await bot.get_file(photo["photo"][-1]["file_id"])
    assert len(await largest.download_as_bytearray()) > 0
    sent = await bot.send_photo(USER, photo["photo"][-1]["file_id"])
    assert [size.width for size in sent.photo] == [s["width"] for s in photo["photo"]]


async def test_media_group_shares_one_group_id(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    sent = await bot.send_media_group(
        USER,
        [
            InputMediaPhoto(b"\xff\xd8jpeg", caption="1"),
            InputMediaDocument(b"doc", filename="b.txt"),
        ],
    )
    assert len(sent) == 2 and len({m.media_group_id for m in sent}) == 1
    assert sent[0].caption == "1" and sent[1].document is not None


async def test_unknown_method_fails_loudly_and_is_recorded(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(InvalidToken, match=r"(?i)setChatTitle is not emulated"):
        await bot.set_chat_title(-100, "Ban chỉ đạo")
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTeleportation", api_kwargs={"chat_id": 1})
    assert [call.method for call in emu.unknown_calls] == ["setChatTitle", "sendTeleportation"]


async def test_wrong_token_is_refused(emu: BotApiEmulator) -> None:
    request = HTTPXRequest(httpx_kwargs={"trust_env": False})
    stranger = Bot("999:WRONG", base_url=emu.base_url, request=request)
    with pytest.raises(InvalidToken):
        await stranger.get_me()
    await request.shutdown()
