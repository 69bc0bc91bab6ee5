"""Stored files: generated ids, bytes served by the file endpoint, media objects."""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass, field

from sandbox.wire import JsonDict

_FOLDERS = {
    "photo": "photos", "document": "documents", "voice": "voice", "video": "videos",
    "audio": "music", "sticker": "stickers", "animation": "animations",
    "video_note": "video_notes",
}  # fmt: skip
_EXTENSIONS = {
    "photo": ".jpg", "voice": ".oga", "video": ".mp4", "audio": ".mp3", "sticker": ".webp",
    "animation": ".mp4", "video_note": ".mp4",
}  # fmt: skip
_PHOTO_SIZES = ((90, 60), (320, 213), (800, 533))
# Fields Telegram always sets on each media object (PTB needs them to parse the Message).
MEDIA_DEFAULTS: dict[str, JsonDict] = {
    "document": {},
    "voice": {"duration": 1},
    "audio": {"duration": 1},
    "video": {"width": 640, "height": 360, "duration": 1},
    "animation": {"width": 320, "height": 240, "duration": 1},
    "video_note": {"length": 240, "duration": 1},
    "sticker": {
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    },
}
DEFAULT_MIME = {
    "voice": "audio/ogg", "audio": "audio/mpeg", "video": "video/mp4",
    "animation": "video/mp4", "video_note": "video/mp4",
}  # fmt: skip


@dataclass
class StoredFile:
    """One file the emulator knows, with the bytes `getFile` downloads serve."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    # All sizes of the photo this file belongs to, so a photo re-sent by file_id keeps them.
    photo_sizes: list[JsonDict] = field(default_factory=list)

    def as_file(self) -> JsonDict:
        """The `File` object `getFile` returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }

    def as_media(self, **fields: object) -> JsonDict:
        """The media object (Document, Voice, ...) embedded in a Message."""
        media: JsonDict = {
            **MEDIA_DEFAULTS.get(self.kind, {}),
            **{key: value for key, value in fields.items() if value is not None},
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name is not None and self.kind in ("document", "audio", "video", "animation"):
            media["file_name"] = self.file_name
        if self.mime_type is not None and self.kind != "sticker":
            media["mime_type"] = self.mime_type
        return media


class FileStore:
    """Every file uploaded by the bot or sent by an emulated user."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def add(
        self,
        kind: str,
        data: bytes,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        """Store bytes under a fresh file_id and file_path."""
        self._counter += 1
        n = self._counter
        extension = _EXTENSIONS.get(kind, "")
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{kind[:2].upper()}AgAC{n:06d}{secrets.token_urlsafe(12)}",
            file_unique_id=f"AQAD{n:06d}{secrets.token_hex(3)}",
            kind=kind,
            data=data,
            file_path=f"{_FOLDERS.get(kind, 'documents')}/file_{n}{extension}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def add_photo(self, data: bytes) -> list[JsonDict]:
        """Store a photo in three sizes (like Telegram) and return the PhotoSize array."""
        sizes: list[JsonDict] = []
        files = [self.add("photo", data, mime_type="image/jpeg") for _ in _PHOTO_SIZES]
        for stored, (width, height) in zip(files, _PHOTO_SIZES, strict=True):
            size = stored.as_media(width=width, height=height)
            size.pop("mime_type", None)
            sizes.append(size)
        for stored in files:
            stored.photo_sizes = sizes
        return copy.deepcopy(sizes)

    def get(self, file_id: str) -> StoredFile | None:
        """Find a file by file_id."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """Find a file by the path `getFile` gave out."""
        return self._by_path.get(file_path)

    def clear(self) -> None:
        """Forget every file."""
        self._by_id.clear()
        self._by_path.clear()
