"""`sohoa demo`: a ready-to-try store with users of each role and sample documents."""

from __future__ import annotations

import io
from typing import Any

from cli import output
from cli.context import Context
from store import audit, batches, documents, search, users
from store.errors import ExitCode
from store.roles import Role
from store.session import Session, init_store, open_session

DEMO_PASSWORDS = {"admin": "demo-admin", "lan": "demo-clerk", "minh": "demo-supervisor"}

SAMPLES = [
    ({"type_name": "Quyết định", "code_number": "12", "code_notation": "QĐ-UBND",
      "issued_date": "2024-03-05", "organ_name": "Ủy ban nhân dân phường Bến Nghé",
      "subject": "Về việc cấp giấy phép sửa chữa nhà ở", "signer_position": "Chủ tịch",
      "signer_name": "Trần Văn Đức"},
     "ỦY BAN NHÂN DÂN\nPHƯỜNG BẾN NGHÉ\nSố: 12/QĐ-UBND\nPhường Bến Nghé, ngày 05 tháng 3 năm 2024"
     "\nQUYẾT ĐỊNH\nVề việc cấp giấy phép sửa chữa nhà ở\nCấp phép cho bà Nguyễn Thị Hồng Nhung"
     "\nCHỦ TỊCH\nTrần Văn Đức"),
    ({"type_name": "Công văn", "code_number": "85", "code_notation": "UBND-VP",
      "issued_date": "2024-04-18", "organ_name": "Ủy ban nhân dân phường Đa Kao",
      "subject": "V/v tổ chức ngày hội đại đoàn kết toàn dân tộc",
      "signer_position": "Phó Chủ tịch", "signer_name": "Lê Thị Mai"},
     "ỦY BAN NHÂN DÂN\nPHƯỜNG ĐA KAO\nSố: 85/UBND-VP\nV/v tổ chức ngày hội đại đoàn kết"
     "\nKính gửi: Ban điều hành các khu phố\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Thị Mai"),
]


def register(commands: Any) -> None:
    p = commands.add_parser("demo", help="create a demo store with sample documents")
    p.set_defaults(handler=cmd_demo)


def _page_png(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("DejaVuSerif.ttf", 30)
    except OSError:
        font = ImageFont.load_default()
    for i, line in enumerate(text.splitlines()):
        draw.text((120, 120 + i * 52), line, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(150, 150))
    return buffer.getvalue()


def _fill(session: Session) -> None:
    batch = batches.create_batch(session, "Lô mẫu")
    dossier = documents.add_dossier(session, batch, "000.00.00.H29.2024.01",
                                    title="Hồ sơ mẫu", maintenance="01", language="vi")
    for meta, text in SAMPLES:
        page = documents.PageInput(image=_page_png(text), mime="image/png", dpi=150,
                                   width=1240, height=1754, ocr_status="done", ocr_text=text)
        documents.add_document(session, dossier, [page], meta, source="demo")


def cmd_demo(ctx: Context) -> int:
    settings = ctx.settings
    if not settings.paths.keyring.exists():
        init_store(settings, "admin", DEMO_PASSWORDS["admin"])
        with open_session(settings, "admin", DEMO_PASSWORDS["admin"]) as admin:
            users.add_user(admin, "lan", Role.CLERK, DEMO_PASSWORDS["lan"])
            users.add_user(admin, "minh", Role.SUPERVISOR, DEMO_PASSWORDS["minh"])
        with open_session(settings, "lan", DEMO_PASSWORDS["lan"]) as clerk:
            _fill(clerk)
    with open_session(settings, "minh", DEMO_PASSWORDS["minh"]) as supervisor:
        hits = search.search(supervisor, "dai doan ket")
        intact = audit.verify(supervisor.conn)
    output.note(f"Demo store in {settings.data_dir} (demo passwords, never for real data):")
    for name, password in DEMO_PASSWORDS.items():
        output.note(f"  {name:6} {password}")
    print(f"search 'dai doan ket': {len(hits)} hit(s)")
    for hit in hits:
        print(f"  #{hit.document_id} {hit.type_name} {hit.code}: {hit.snippet.marked()}")
    print(f"audit log: {intact.rows} rows, {'intact' if intact.ok else 'BROKEN'}")
    return int(ExitCode.OK)
