"""What the app is given at start, passed to every screen: no module-level globals.

The CLI (``sohoa gui``) builds one from its arguments; tests build one on a
temporary store with their own QSettings file, scripted prompts and a tiny
idle timeout. Nothing in ``app`` reads the environment or a global settings
object: if a screen needs something, it is here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings

from app.prompts import Prompts
from capture.pipeline import CaptureSettings
from store.settings import StoreSettings

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class AppContext:
    store: StoreSettings
    qsettings: QSettings  # layout and language of this station, plain values only
    prompts: Prompts = field(default_factory=Prompts)
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    resources: Path = RESOURCES
    sane_env: Mapping[str, str] | None = None  # e.g. SANE_CONFIG_DIR for the test scanner
    idle_lock_seconds: float | None = None  # overrides the site's idle_lock_minutes
    log_dir: Path = field(default_factory=lambda: Path.home() / ".cache" / "sohoa")

    @property
    def icons(self) -> Path:
        return self.resources / "icons"

    @property
    def i18n(self) -> Path:
        return self.resources / "i18n"

    def language(self) -> str:
        value = str(self.qsettings.value("ui/language", "vi"))
        return value if value in ("vi", "en") else "vi"
