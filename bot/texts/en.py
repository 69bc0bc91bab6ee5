"""English catalogue. Parameters arrive escaped; entries are HTML. Keys mirror `bot.texts.vi`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.texts import reports_en
from bot.texts.answer_templates_en import TEMPLATES
from bot.texts.briefing_en import BRIEFING
from bot.texts.catalogue import Entry
from bot.texts.deadlines_en import DEADLINES
from bot.texts.meetings_en import MEETINGS
from bot.texts.minutes_en import MINUTES
from bot.texts.search_en import SEARCH

STATE_NAMES = {
    "received": "Received",
    "assigned": "Assigned",
    "in_progress": "In progress",
    "answered": "Answered",
    "closed": "Closed",
    "transferred": "Transferred to the competent authority",
    "guided": "Referred to the formal procedure",
    "rejected": "Not eligible for handling",
    "withdrawn": "Withdrawn by the sender",
}

KIND_NAMES = {
    "gop_y": "Suggestion on building the Party and the government",
    "phan_anh": "Report",
    "kien_nghi": "Petition",
    "hoi_dap": "Question",
    "khieu_nai": "Complaint",
    "to_cao": "Denunciation",
    "khac": "Other",
}

UNSUPPORTED_NAMES = {
    "sticker": "stickers",
    "video": "videos",
    "video_note": "video notes",
    "animation": "animations",
    "audio": "audio files",
    "poll": "polls",
    "dice": "dice",
    "contact": "contacts",
    "game": "games",
    "venue": "venues",
}


def _summary(p: Mapping[str, Any]) -> str:
    lines = ["<b>Please check your feedback before sending it:</b>", f"• Field: {p['field']}"]
    lines.append(f"• Village/neighbourhood: {p['village'] or 'not given'}")
    if p["text"]:
        lines.append(f"• Content:\n<blockquote>{p['text']}</blockquote>")
    if p["attachments"]:
        lines.append(f"• Attachments: {p['attachments']}")
    if p["anonymous"]:
        lines.append("• Sender: <b>Anonymous</b> (nobody will know who you are)")
    else:
        phone = f", phone number {p['phone']}" if p["phone"] else ", no phone number left"
        lines.append(f"• Sender: {p['name']}{phone}")
    lines.append(
        "\nPress <b>Send</b> to send it, <b>Back</b> to change it, or <b>Cancel</b> to drop it."
    )
    return "\n".join(lines)


def _member_case(p: Mapping[str, Any]) -> str:
    lines = [
        f"📬 <b>{p['title']}</b>: <code>{p['code']}</code>",
        f"Field: {p['field']}",
        f"Village/neighbourhood: {p['village'] or 'not given'}",
        f"Kind: {p['kind']}",
        f"Sent on: {p['created']}",
        f"Answer due: <b>{p['due']}</b>",
        f"Sender: {p['sender']}",
    ]
    if p["attachments"]:
        lines.append(f"Attachments: {p['attachments']} (sent right after this message)")
    if p["text"]:
        lines.append(f"\n<b>Content:</b>\n{p['text']}")
    lines.append("\n<i>Press «Answer» or reply to this message to answer the citizen.</i>")
    return "\n".join(lines)


def _status(p: Mapping[str, Any]) -> str:
    lines = [
        f"🔎 <b>Case {p['code']}</b>",
        f"Status: <b>{p['state']}</b>",
        f"Field: {p['field']}",
        f"Village/neighbourhood: {p['village'] or 'not given'}",
        f"Sent on: {p['created']}",
        f"Answer due: {p['due']}",
    ]
    if p["answers"]:
        lines.append("\n<b>Answers:</b>")
        lines.extend(f"• {when}: {body}" for when, body in p["answers"])
    else:
        lines.append("\nNo answer yet.")
    return "\n".join(lines)


ENTRIES: dict[str, Entry] = {
    # Buttons
    "btn_agree": "I agree",
    "btn_refuse": "I do not agree",
    # The phone step's reply keyboard sends this label back as text; the dialog knows "skip".
    "btn_skip": "Skip",
    "btn_next": "Continue",
    "btn_anonymous": "Anonymous",
    "btn_named": "Send with my name",
    "btn_send": "Send",
    "btn_back": "Back",
    "btn_cancel": "Cancel",
    "btn_share_phone": "📱 Share my phone number",
    "btn_new_submission": "✍️ Send feedback",
    "btn_claim": "Take this case",
    "btn_answer": "Answer",
    "btn_history": "History",
    # Welcome, consent, help
    "welcome": (
        "Hello! This is the <b>digital feedback mailbox</b> of {commune}; {body} receives and "
        "answers what you send.\n\n"
        "You can send suggestions, reports and petitions about building the Party and the "
        "government and about local life; each one gets a <b>tracking code</b> so you can "
        "follow it.\n\n"
        "Please note: this is an automated assistant, <b>not</b> the official citizen reception; "
        "complaints and denunciations must follow the formal procedure at the commune's citizen "
        "reception office.\n\n"
        "Type /gopy to send feedback, /tracuu to look one up, /trogiup for help."
    ),
    "consent_ask": (
        "<b>How we handle your personal data</b> (version {version})\n"
        "• Data controller: {controller}.\n"
        "• Data: what you send, your attachments and your village or neighbourhood; your name "
        "and phone number only if you choose to share them.\n"
        "• Purpose: to receive your feedback, pass it to the members in charge and answer you.\n"
        "• If you choose <b>Anonymous</b>, the steering committee members will not know who you "
        "are.\n"
        "• You may see and correct your data, withdraw your consent and ask for your data to "
        "be deleted{contact}.\n\n"
        "Do you agree to us handling your data as described above?"
    ),
    "consent_contact": " (contact: {contact})",
    "consent_recorded": "Thank you for your consent.",
    "consent_refused": (
        "We respect your choice. Without your consent the digital mailbox cannot take your "
        "feedback; you can still drop a letter into the feedback box at the commune office. "
        "Type /gopy if you change your mind."
    ),
    "help_citizen": (
        "<b>How to use the mailbox</b>\n"
        "/gopy: send a suggestion, report or petition (step by step)\n"
        "/tracuu CODE: see the status and the answers, for example "
        "<code>/tracuu MT-261127-0042-K7</code>\n"
        "/huy: cancel the current step\n"
        "/trogiup: show this help\n\n"
        "To add something to feedback you have already sent, reply to the mailbox's message "
        "about it."
    ),
    "help_member": (
        "\n\n<b>For steering committee members</b>\n"
        "• Each new case in your fields arrives here with the buttons «Take this case», "
        "«Answer» and «History».\n"
        "• To answer the citizen, press «Answer» and send your text, or reply to the message "
        "about the case.\n"
        "• /tracuu CODE: look up any case.\n"
        "• «Actions ▸» under each case: internal note, classify, hand over, transfer, close.\n"
        "• /viec: cases you handle (the chair: all; /viec dat-dai, /viec lan).\n"
        "• /quahan: overdue cases.\n"
        "• /timkiem WORDS: find cases by their text (with or without diacritics).\n"
        "• /thongke [11/2026 | Q4/2026 | 2026]: statistics with a chart.\n"
        "• /xuat [period] [xlsx|csv]: export cases and statistics.\n"
        "• /lichhop: upcoming meetings and who said they attend or not.\n"
        "• /nhiemvu: tasks given to you at meetings.\n"
        "• /baocaohop: the briefing for the next meeting (chair, deputies, secretary): figures, chart, Word file."
    ),
    # The submission dialog
    "dialog_resume": "You have unfinished feedback. Please carry on (or type /huy to drop it).",
    "dialog_cancelled": "Cancelled. Type /gopy whenever you want to start again.",
    "nothing_to_cancel": "There is nothing to cancel. Type /gopy to send feedback.",
    "ask_field": "<b>Step 1/5.</b> Which field is your feedback about?",
    "ask_village": "<b>Step 2/5.</b> Which village or neighbourhood is it about? (optional)",
    "ask_content": (
        "<b>Step 3/5.</b> Please write your feedback. You may send several messages, with "
        "photos, files, voice notes or a location, then press <b>Continue</b>."
    ),
    "content_added": (
        "Received ({count} parts). You may send more, or press <b>Continue</b> when you are done."
    ),
    "content_empty": "You have not sent anything yet. Please write your feedback first.",
    "content_blank": "That message was empty. Please write it again.",
    "content_too_long": (
        "That message is too long ({got} characters; at most {max}). Please split it into "
        "shorter messages."
    ),
    "content_too_many": "Feedback can have at most {max} parts. Please press <b>Continue</b>.",
    "document_too_big": "That file is too large (at most {max_mb} MB). Please send a smaller one.",
    "document_type": (
        "The mailbox does not take this type of file yet ({name}). You can send photos, PDF, "
        "Word, Excel or text files."
    ),
    "unsupported_input": lambda p: (
        f"The mailbox does not take {UNSUPPORTED_NAMES.get(p['what'], 'this kind of message')} "
        "yet. You can send text, photos, files, voice notes or a location."
    ),
    "ask_identity": (
        "<b>Step 4/5.</b> Would you like to send it <b>anonymously</b> or with your name?\n"
        "• Anonymous: the steering committee members will not know who you are; the answer "
        "still comes back here.\n"
        "• Please note: by law, anonymous complaints and denunciations are not handled under "
        "the complaint and denunciation procedure."
    ),
    "ask_phone": (
        "Would you like to leave your phone number so that an officer can call you if needed? "
        "Press <b>Share my phone number</b> or <b>Skip</b>."
    ),
    "phone_saved": "Your phone number has been saved.",
    "phone_skipped": "No phone number left.",
    "phone_not_own": "Please share your own phone number with the button below.",
    "phone_expected": "Please press <b>Share my phone number</b> or <b>Skip</b>.",
    "summary": _summary,
    "use_buttons": "Please choose with the buttons below.",
    "button_stale": "This button is no longer valid. Please carry on with the current step.",
    "receipt": (
        "✅ <b>We have received your feedback.</b>\n"
        "Tracking code: <code>{code}</code>\n"
        "The field {field} is handled by {handler}; the answer will come here within "
        "{days} {unit} (due {due}).\n"
        "You can look it up with <code>/tracuu {code}</code>, or reply to this message to add "
        "information."
    ),
    "handler_field_members": "the steering committee members in charge",
    "unit_working": "working days",
    "unit_calendar": "days",
    "daily_limit": (
        "You have sent {max} pieces of feedback today, which is the daily maximum. Please send "
        "more tomorrow. Thank you for your contribution."
    ),
    "flood": "You are sending messages too quickly. Please wait a moment before sending more.",
    # Tracking
    "lookup_usage": "Please add the tracking code, for example: <code>/tracuu MT-261127-0042-K7</code>",
    "lookup_not_found": (
        "No case was found with this code, or you are not its sender. Please check the "
        "tracking code."
    ),
    "status": _status,
    # Follow-up and answers to the citizen
    "followup_received": "Added to case <code>{code}</code> and passed to the person in charge.",
    "followup_closed": (
        "Case <code>{code}</code> is closed, so nothing more can be added to it. Please send new "
        "feedback with /gopy."
    ),
    "answer_to_citizen": "💬 <b>Answer to case <code>{code}</code></b>\n\n{body}",
    # Members
    "member_case_new": _member_case,
    "title_new_case": "New case",
    "title_rerouted_case": "Case nobody has taken (passed to the chair)",
    "title_conflict_case": "Case naming a committee member (sent to the chair only)",
    "urgent_reply": (
        "⚠️ If a life is in danger, there is a fire or a crime is happening, please call now: "
        "<b>{numbers}</b>. The feedback mailbox is not an emergency service and cannot send "
        "anyone to the scene; the chair has been told about your message."
    ),
    "urgent_alert": "🚨 <b>Message that may be urgent</b> (keyword «{word}») received at {when}:\n{text}",
    "sender_anonymous": "Anonymous",
    "sender_named": "{name}",
    "sender_named_phone": "{name}, phone {phone}",
    "member_content_more": "<b>Content of case <code>{code}</code> (continued):</b>\n{text}",
    "member_location": "📍 Location attached to case <code>{code}</code>",
    "member_attachment_caption": "Attachment to case <code>{code}</code>",
    "member_followup": "📎 <b>The citizen added to case <code>{code}</code>:</b>\n{text}",
    "member_followup_attachment": "📎 The citizen added a file to case <code>{code}</code>",
    "claimed_you": "You have taken case <code>{code}</code>.",
    "claimed_other": "Case <code>{code}</code> has been taken by <b>{member}</b>.",
    "claimed_already": "Case <code>{code}</code> is already being handled by <b>{member}</b>.",
    "answer_prompt": (
        "Please send your answer to case <code>{code}</code> (one message). Type /huy to stop."
    ),
    "answer_sent": "Your answer to case <code>{code}</code> has been sent to the citizen.",
    "answered_other": "Case <code>{code}</code> has been answered by <b>{member}</b>.",
    "answer_text_only": "An answer must be a text message. Please send it again, or type /huy.",
    "answer_too_long": "The answer is too long ({got} characters; at most {max}). Please shorten it.",
    "case_history_title": "🗂 <b>History of case <code>{code}</code></b> ({state})",
    "history_event": "• {when}: {what}",
    "history_message": "• {when} ({who}): {body}",
    "history_who_citizen": "citizen",
    "history_who_internal": "internal note by {member}",
    "action_received": "received",
    "action_followup": "the citizen added information",
    "member_unreachable": (
        "⚠️ Could not send a message to member <b>{member}</b> (they have not started a chat "
        "with the mailbox, or have blocked it). Chair, please ask them to open the mailbox and "
        "press /start."
    ),
    "member_welcome": "Hello {member}. You are connected to the mailbox as a member.",
    # Refusals and errors
    "not_member": "This is only for steering committee members.",
    "not_allowed": "You are not allowed to do this with this case.",
    "case_not_open": "Case <code>{code}</code> is «{state}», so this cannot be done.",
    "button_invalid": "This button is not valid or has expired.",
    "unknown_command": "The mailbox has no such command. Type /trogiup to see the commands.",
    "not_understood": (
        "To send feedback, type /gopy. To add to feedback you have already sent, reply to the "
        "mailbox's message about it."
    ),
    "member_not_understood": (
        "To answer a citizen, reply to the message about the case or press «Answer» under it. "
        "Type /gopy to send feedback of your own, /trogiup for help."
    ),
    "error_apology": (
        "Sorry, the mailbox ran into a problem with this message. Everything you sent before is "
        "kept; please try again in a few minutes."
    ),
}
ENTRIES.update({f"state_{state}": name for state, name in STATE_NAMES.items()})
ENTRIES.update({f"kind_{kind}": name for kind, name in KIND_NAMES.items()})

CASEWORK: dict[str, Entry] = {
    "btn_support": "Add a supporting member",
    "choose_supporter": "Who should support case <code>{code}</code>? (You stay the lead.)",
    "supporter_added": "<b>{member}</b> asked to support case <code>{code}</code>.",
    "supporter_already": "<b>{member}</b> already supports case <code>{code}</code>.",
    "title_support_case": "Case you are asked to support",
    "support_request": "🤝 <b>{member}</b> (lead) asks you to support case <code>{code}</code>: press «Actions ▸» → «Internal note» to send your input; the lead receives it.",
    "history_supporters": "Supporting: {names}",
    "supporter_done": "contributed",
    "supporter_pending": "not yet",
    "action_support": "{member} asked for support: {note}",
    "btn_merge": "Merge into another case",
    "merge_prompt": "Which case does <code>{code}</code> duplicate? Please send its code. Type /huy to stop.",
    "merge_target_unknown": "No case has this code. Please check it.",
    "merge_target_invalid": "Cannot merge into case <code>{code}</code> (the same case, closed, or itself merged).",
    "merged_done": "Case <code>{code}</code> merged into <code>{target}</code>; the answers to <code>{target}</code> will reach both citizens.",
    "citizen_merged": "🔗 Case <code>{code}</code> duplicates another case (<code>{text}</code>) and was merged with it; the answer will still reach you.",
    "action_merge": "{member} merged it into {note}",
    "btn_ask": "Ask the citizen",
    "ask_prompt": "Please send your question to the citizen about case <code>{code}</code>. The deadline pauses until they reply. Type /huy to stop.",
    "ask_sent": "Question sent; the deadline of case <code>{code}</code> pauses until the citizen replies.",
    "citizen_question": "❓ <b>About case <code>{code}</code>, the committee needs to know more:</b>\n{text}\n\nPlease reply to this message.",
    "clock_resumed": "⏱ The citizen answered the question about case <code>{code}</code>; the deadline runs again (extended by the wait).",
    "action_ask": "{member} asked the citizen (deadline paused)",
    "help_chair": (
        "\n\n<b>For the chair and deputies</b>\n"
        "• /moi MEMBER_ID: a one-time invite link for a member without a Telegram id.\n"
        "• /tamdung MEMBER_ID, /kichhoat MEMBER_ID: deactivate / reactivate a member.\n"
        "• /nhatky [period]: the audit log (with an Excel file).\n"
        "• /mau: canned answers (list; /mau them …, /mau xoa … to add, delete)."
    ),
    "audit_empty": "Audit log {period}: no actions yet.",
    "audit_header": "🗒 <b>Audit log {period}</b>: {total} actions (the latest below; all in the file).",
    "audit_line": "• {when} {actor}: {action} {code} {detail}",
    "audit_file_caption": "Audit log {period}",
    "invite_created": "Invite link for <b>{member}</b> (one use, expires in {days} days):\n{link}\nPlease send it privately to that person.",
    "invite_already_member": "You are already a member ({member}).",
    "invite_invalid": "This invite link is invalid, used or expired. Please ask the chair for a new one.",
    "invite_used_notice": "✅ <b>{member}</b> joined the mailbox through an invite link.",
    "deactivate_self": "You cannot deactivate yourself.",
    "member_already": "Nothing changed for member {member}.",
    "member_deactivated": "Member <b>{member}</b> deactivated; {count} open cases went back to their fields.",
    "member_reactivated": "Member <b>{member}</b> is active again.",
    "you_were_deactivated": "The chair has deactivated your member role in the mailbox.",
    "member_id_usage": "Please add the member id from the config, e.g. <code>/moi lan</code>.",
    "member_unknown": "No active member has the id «{member}».",
    "title_returned_case": "Case returned to its field (its handler was deactivated)",
    "action_release": "{member} returned the case to its field",
    "btn_more": "Actions ▸",
    "btn_note": "Internal note",
    "btn_kind": "Classify",
    "btn_start": "Start work",
    "btn_hand_over": "Hand over",
    "btn_transfer": "Transfer to another body",
    "btn_close": "Close case",
    "btn_outcome": "Record outcome",
    "btn_assign": "Assign to…",
    "btn_reject": "Not eligible",
    "btn_reopen": "Reopen",
    "btn_resolved": "✅ Resolved",
    "btn_not_resolved": "❌ Not resolved",
    "btn_prev": "◀ Previous",
    "btn_next_page": "Next ▶",
    "menu_title": "Actions for case <code>{code}</code> (status: {state}):",
    "note_prompt": "Please send the internal note for case <code>{code}</code> (the citizen will not see it). Type /huy to stop.",
    "transfer_prompt": "Which body is case <code>{code}</code> transferred to, and why? This text is sent to the citizen. Type /huy to stop.",
    "reject_prompt": "Why is case <code>{code}</code> not eligible? The reason is sent to the citizen. Type /huy to stop.",
    "outcome_prompt": "Please record the outcome of the formal procedure for case <code>{code}</code>; it is sent to the citizen. Type /huy to stop.",
    "input_cancelled": "Stopped the action on case <code>{code}</code>.",
    "note_saved": "Internal note saved on case <code>{code}</code>.",
    "note_relayed": "📝 <b>{member}</b> noted on case <code>{code}</code>:\n{text}",
    "transition_done": "Case <code>{code}</code>: {state}.",
    "transition_refused": "This action is not possible for case <code>{code}</code> in its current status.",
    "chair_only": "This action is for the chair or a deputy.",
    "reopened_notice": "↩️ Case <code>{code}</code> has been reopened for further work.",
    "kind_prompt": "What kind of submission is case <code>{code}</code>?",
    "kind_set": "Case <code>{code}</code> classified as: {kind}.",
    "complaint_guidance": (
        "Your message is a complaint or denunciation, which the law handles by its own "
        "procedure, not as feedback. Please submit a written petition stating the date, your "
        "full name, address, the content and your signature (or fingerprint), or present it in "
        "person at the citizen reception office of {commune}. The reception officer has been "
        "informed and will follow it until there is an outcome."
    ),
    "guided_done": "Case <code>{code}</code> moved to the complaint/denunciation procedure; the citizen was guided.",
    "title_formal_case": "Complaint/denunciation to guide through the formal procedure",
    "no_candidates": "No other member can take case <code>{code}</code>.",
    "choose_member": "Assign case <code>{code}</code> to whom?",
    "given_to": "Case <code>{code}</code> assigned to <b>{member}</b>.",
    "given_to_you": "📌 <b>{member}</b> assigned case <code>{code}</code> to you.",
    "given_other": "Case <code>{code}</code> was assigned by <b>{member}</b> to <b>{target}</b>.",
    "ask_resolved": "Did the answer to case <code>{code}</code> resolve your concern?",
    "thanks_resolved": "Thank you for confirming. Case <code>{code}</code> is closed.",
    "feedback_already": "Your feedback on case <code>{code}</code> has been recorded.",
    "ask_rating": "How would you rate the answer to case <code>{code}</code>? (1 to 5 stars)",
    "thanks_rating": "Thank you for rating case <code>{code}</code> {score} stars.",
    "withdraw_usage": "Please add the code of the case to withdraw, e.g. <code>/rut MT-261127-0042-K7</code>",
    "reopened_by_citizen": "↩️ The citizen says case <code>{code}</code> is <b>not resolved</b>; it has been reopened.",
    "withdrawn_notice": "The citizen withdrew case <code>{code}</code>.",
    "citizen_assigned": "📌 Case <code>{code}</code> has been assigned to a committee member.",
    "citizen_in_progress": "🔧 Case <code>{code}</code> is being worked on.",
    "citizen_closed": "Case <code>{code}</code> is closed. Thank you for your feedback.",
    "citizen_reopened": "↩️ Case <code>{code}</code> has been reopened and will be worked on further.",
    "citizen_transferred": "➡️ Case <code>{code}</code> has been transferred to the competent body:\n{text}",
    "citizen_guided": "⚖️ About case <code>{code}</code>:\n{text}",
    "citizen_rejected": "Case <code>{code}</code> is not eligible for handling. Reason:\n{text}",
    "citizen_withdrawn": "You withdrew case <code>{code}</code>.",
    "citizen_outcome": "⚖️ Outcome of case <code>{code}</code>:\n{text}",
    "list_mine": "Cases you are handling",
    "list_overdue": "Overdue cases",
    "list_all": "All open cases",
    "list_field": "Open cases in {field}",
    "list_member": "Open cases handled by {member}",
    "list_unknown_filter": "No field or member has this id. For example: <code>/viec dat-dai</code> or <code>/viec lan</code>.",
    "list_empty": "{title}: none.",
    "list_header": "<b>{title}</b>: {total} cases (page {page}/{pages})",
    "list_line": "• {late}<code>{code}</code>, {field}, {state}, due {due}",
    "history_files": " [+{count} files]",
    "action_claim": "{member} took the case",
    "action_assign": "{member} assigned the case",
    "action_hand_over": "{member} handed the case over",
    "action_start": "{member} started work",
    "action_answer": "{member} answered",
    "action_close": "{member} closed the case",
    "action_reopen": "{member} reopened the case",
    "action_transfer": "{member} transferred it: {note}",
    "action_guide": "{member} guided it to the complaint/denunciation procedure",
    "action_reject": "{member}: not eligible ({note})",
    "action_withdraw": "the citizen withdrew the case",
    "action_record_outcome": "{member} recorded the outcome: {note}",
    "action_resolved": "the citizen confirmed it is resolved",
    "action_not_resolved": "the citizen said it is not resolved",
    "action_rated": "the citizen rated it {note} stars",
    "action_kind": "{member} classified it: {note}",
}
ENTRIES.update(CASEWORK)
ENTRIES.update(reports_en.ENTRIES)
ENTRIES.update(DEADLINES)
ENTRIES.update(TEMPLATES)
ENTRIES.update(MEETINGS)
ENTRIES.update(MINUTES)
ENTRIES.update(SEARCH)
ENTRIES.update(BRIEFING)
