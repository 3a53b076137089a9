"""The Vietnamese wording of every core error, keyed by its stable code.

Plain data, no Qt: the CLI and the GUI both render from it. Each entry is
``code: (English template, Vietnamese template)``; the English is the template
the raise site passes to ``say`` (``tests/test_core_messages.py`` checks the two
agree, so a reworded English sentence is sent back here for its Vietnamese), and
it lets ``store.messages.reword`` recognise a sentence that reached a face as
text. ``WORDS`` puts store values that end up inside a sentence (a batch state,
a field name, a role) in the words the screens use (``app/i18n.py``; a test
checks they agree).

Wording: the local store is "kho dữ liệu", the city warehouse "kho dữ liệu
thành phố", IT "bộ phận CNTT"; values a user typed or a name stand in “…”.
"""

from __future__ import annotations

_BATCH_STATES = {
    "open": "Đang làm",
    "submitted": "Chờ duyệt",
    "approved": "Đã duyệt",
    "rejected": "Bị trả lại",
}

_FIELDS = {
    "type_name": "Tên loại văn bản",
    "code_number": "Số văn bản",
    "code_notation": "Ký hiệu",
    "issued_date": "Ngày ban hành",
    "organ_name": "Cơ quan ban hành",
    "subject": "Trích yếu nội dung",
    "signer_position": "Chức vụ người ký",
    "signer_name": "Người ký",
    "citizen_ids": "Số CCCD/CMND",
    "file_code": "Mã hồ sơ",
    "paper_file_code": "Mã hồ sơ giấy",
    "title": "Tiêu đề hồ sơ",
    "maintenance": "Thời hạn bảo quản",
    "mode": "Chế độ sử dụng",
    "language": "Ngôn ngữ",
    "start_date": "Thời gian bắt đầu",
    "end_date": "Thời gian kết thúc",
    "description": "Ghi chú",
}

WORDS: dict[str, dict[str, str]] = {
    "state": _BATCH_STATES,
    "want": _BATCH_STATES,
    "field": _FIELDS,
    "role": {"clerk": "văn thư", "supervisor": "giám sát", "admin": "quản trị viên"},
    "perm": {
        "capture": "nhập và sửa hồ sơ",
        "view all batches": "xem mọi lô",
        "approve or reject batches": "duyệt hoặc trả lại lô",
        "see and run sync": "xem và chạy đồng bộ",
        "read the audit log": "xem nhật ký thao tác",
        "manage users": "quản lý người dùng",
        "change site settings": "đổi cài đặt đơn vị",
        "manage keys and backups": "quản lý khóa và sao lưu",
    },
    "task": {
        "restore a backup": "khôi phục bản sao lưu",
        "finish the interrupted restore": "hoàn tất việc khôi phục bị ngắt",
        "re-encrypt the store": "mã hóa lại kho dữ liệu",
        "create a store": "tạo kho dữ liệu",
        "upgrade the store": "nâng cấp kho dữ liệu",
        "sync": "đồng bộ",
    },
    "kind": {  # what a site file's value must be
        "a whole number": "một số nguyên",
        "text in double quotes": "văn bản trong dấu ngoặc kép",
    },
    "what": {  # what store.fsutil.output_file did not write
        "the backup": "bản sao lưu",
        "the cover sheet": "phiếu bìa",
        "the PDF": "tệp PDF",
        "the report": "báo cáo",
    },
    "bound": {"since": "Từ ngày", "until": "Đến ngày"},
}

VI: dict[str, tuple[str, str]] = {
    "capture.dossier_or_cover_sheets": (
        "Choose --dossier or --cover-sheets, not both.",
        "Hãy chọn --dossier hoặc --cover-sheets, không chọn cả hai.",
    ),
    "capture.file_changed_while_read": (
        "{source}: the file changed while it was read",
        "{source}: tệp đã thay đổi trong lúc đang đọc",
    ),
    "capture.incomplete_copy_stays": (
        "document {doc_id}, an incomplete copy of this file from a cancelled import, stays: its "
        "batch can no longer change",
        "văn bản {doc_id}, bản chưa đủ trang của tệp này từ một lần nhập bị hủy, vẫn được giữ: "
        "lô của nó không thể thay đổi nữa",
    ),
    "capture.merge_same_batch": (
        "Only documents of the same batch can be merged.",
        "Chỉ gộp được các văn bản trong cùng một lô.",
    ),
    "capture.merge_two_documents": (
        "Choose two different documents to merge.",
        "Hãy chọn hai văn bản khác nhau để gộp.",
    ),
    "capture.page_changed_during_read": (
        "The page changed while it was being read; read it again.",
        "Trang đã thay đổi trong lúc đang đọc; hãy đọc lại.",
    ),
    "capture.page_order_incomplete": (
        "The new page order must list each page of the document once.",
        "Thứ tự trang mới phải liệt kê mỗi trang của văn bản đúng một lần.",
    ),
    "capture.page_position_outside": (
        "Page position {position} is outside 1..{n}.",
        "Vị trí trang {position} nằm ngoài khoảng 1..{n}.",
    ),
    "capture.page_unreadable": (
        "The page could not be read: {error}",
        "Không đọc được trang: {error}",
    ),
    "capture.pages_of_one_document": (
        "Choose pages of one document.",
        "Hãy chọn các trang của cùng một văn bản.",
    ),
    "capture.same_file_not_stored": (
        "same file as {source}, which was not stored",
        "trùng tệp với {source}, tệp đó chưa được lưu",
    ),
    "capture.scanned_sheet_unreadable": (
        "a scanned sheet could not be read back ({reason})",
        "không đọc lại được một tờ vừa quét ({reason})",
    ),
    "capture.scanner_no_pages": (
        "The scanner returned no pages (is the feeder empty?).",
        "Máy quét không trả về trang nào (khay nạp giấy có trống không?).",
    ),
    "capture.split_after_first": (
        "Split at a page after the first one.",
        "Hãy tách tại một trang sau trang đầu tiên.",
    ),
    "extract.citizen_id_invalid": (
        "{digits} is not a valid CCCD or CMND number.",
        "{digits} không phải số CCCD hoặc CMND hợp lệ.",
    ),
    "extract.export_headers": (
        "An export needs {n} column headers.",
        "Tệp xuất cần {n} tiêu đề cột.",
    ),
    "ocr.language_missing": (
        "Tesseract language {languages} is not installed: {hint}",
        "Chưa cài dữ liệu ngôn ngữ {languages} cho Tesseract: {hint}",
    ),
    "ocr.language_missing_one": (
        "Tesseract language '{language}' is not installed: {hint}",
        "Chưa cài dữ liệu ngôn ngữ '{language}' cho Tesseract: {hint}",
    ),
    "ocr.languages_missing": (
        "Tesseract language {languages} is not installed: {hint}",
        "Chưa cài dữ liệu ngôn ngữ {languages} cho Tesseract: {hint}",
    ),
    "ocr.languages_unloadable": (
        "Tesseract cannot load {languages} from {tessdata}: {hint}",
        "Tesseract không nạp được {languages} từ {tessdata}: {hint}",
    ),
    "ocr.library_unloadable": (
        "The Tesseract library (tesserocr) cannot load: {hint}",
        "Không nạp được thư viện Tesseract (tesserocr): {hint}",
    ),
    "ocr.not_installed": (
        "Tesseract is not installed: {hint}",
        "Chưa cài Tesseract: {hint}",
    ),
    "ocr.tesseract_failed": (
        "{what}: Tesseract failed ({detail})",
        "{what}: Tesseract bị lỗi ({detail})",
    ),
    "ocr.tesseract_timeout": (
        "{what}: Tesseract gave no result within {seconds:g} s",
        "{what}: Tesseract không trả kết quả trong {seconds:g} giây",
    ),
    "ocr.version_too_old": (
        "Tesseract {version} is too old (need 4.1 or newer): {hint}",
        "Tesseract {version} đã quá cũ (cần 4.1 trở lên): {hint}",
    ),
    "ocr.version_unknown": (
        "Cannot tell which Tesseract is installed: {hint}",
        "Không xác định được phiên bản Tesseract đã cài: {hint}",
    ),
    "scanning.cover_sheet_code_length": (
        "dossier code must be 1-{max_code} characters without spaces",
        "mã hồ sơ phải dài từ 1 đến {max_code} ký tự, không có dấu cách",
    ),
    "scanning.cover_sheet_control_chars": (
        "dossier code and title must not contain control characters",
        "mã hồ sơ và tiêu đề không được chứa ký tự điều khiển",
    ),
    "scanning.cover_sheet_font": (
        "no installed font can print this cover sheet's text ({missing})",
        "không có phông chữ nào đã cài in được nội dung phiếu bìa này ({missing})",
    ),
    "scanning.empty_page": (
        "the scanner delivered an empty page",
        "máy quét gửi về một trang trống",
    ),
    "scanning.feeder_duplex_only": (
        "this scanner's feeder cannot scan one side only ({feeders})",
        "khay nạp giấy của máy quét này không quét riêng một mặt được ({feeders})",
    ),
    "scanning.file_empty": (
        "{source}: the file is empty (0 bytes)",
        "{source}: tệp trống (0 byte)",
    ),
    "scanning.file_type_unknown": (
        "{source}: not a PNG, JPEG, TIFF, BMP or PDF file (content not recognised)",
        "{source}: không phải tệp PNG, JPEG, TIFF, BMP hay PDF (không nhận ra nội dung)",
    ),
    "scanning.file_unreadable": (
        "{source}: cannot read ({reason})",
        "{source}: không đọc được ({reason})",
    ),
    "scanning.flatbed_one_side": (
        "a flatbed scans one side at a time; use the document feeder for both sides",
        "mặt kính chỉ quét được từng mặt một; hãy dùng khay nạp giấy để quét hai mặt",
    ),
    "scanning.folder_unreadable": (
        "{source}: cannot read this folder ({reason})",
        "{source}: không đọc được thư mục này ({reason})",
    ),
    "scanning.image_damaged": (
        "{source}: damaged or truncated {fmt} image ({reason})",
        "{source}: ảnh {fmt} bị hỏng hoặc bị cắt cụt ({reason})",
    ),
    "scanning.image_too_large": (
        "{source}: the image is too large to be a scanned page ({reason})",
        "{source}: ảnh quá lớn, không thể là một trang quét ({reason})",
    ),
    "scanning.listing_failed": (
        "listing scanners failed: {reason}",
        "không liệt kê được các máy quét: {reason}",
    ),
    "scanning.not_file_or_folder": (
        "{source}: not a regular file or folder",
        "{source}: không phải tệp thông thường hay thư mục",
    ),
    "scanning.no_duplex": (
        "this scanner cannot scan both sides",
        "máy quét này không quét được hai mặt",
    ),
    "scanning.no_feeder": (
        "this scanner has no document feeder; use the flatbed",
        "máy quét này không có khay nạp giấy; hãy dùng mặt kính",
    ),
    "scanning.no_flatbed": (
        "this scanner has no flatbed (it offers: {sources})",
        "máy quét này không có mặt kính (chỉ có: {sources})",
    ),
    "scanning.no_pdf_reader": (
        "Neither Poppler nor PDFium can read PDF files here: install poppler-utils (Windows: "
        "reinstall sohoa, which bundles PDFium)",
        "Cả Poppler lẫn PDFium đều không đọc được tệp PDF trên máy này: hãy cài poppler-utils "
        "(Windows: cài lại sohoa, bản cài đã kèm PDFium)",
    ),
    "scanning.no_ram_folder": (
        "no RAM folder (tmpfs) to receive the scanner's sheets: /dev/shm or $XDG_RUNTIME_DIR "
        "must be mounted as tmpfs, so that no page image is written to the disk",
        "không có thư mục trong RAM (tmpfs) để nhận các tờ từ máy quét: /dev/shm hoặc "
        "$XDG_RUNTIME_DIR phải được gắn dạng tmpfs, để không ảnh trang nào bị ghi xuống ổ đĩa",
    ),
    "scanning.no_scanner_listed": (
        "no scanner could be listed ({reasons})",
        "không liệt kê được máy quét nào ({reasons})",
    ),
    "scanning.no_such_mode": (
        "this scanner has no {mode} mode (it offers: {modes})",
        "máy quét này không có chế độ {mode} (chỉ có: {modes})",
    ),
    "scanning.no_such_mode_plain": (
        "this scanner has no {mode} mode",
        "máy quét này không có chế độ {mode}",
    ),
    "scanning.page_no_pixels": (
        "{source}: page {page} has no pixels",
        "{source}: trang {page} không có điểm ảnh nào",
    ),
    "scanning.page_not_rendered": (
        "{source}: page {page} could not be rendered ({reason})",
        "{source}: không dựng hình được trang {page} ({reason})",
    ),
    "scanning.page_too_many_pixels": (
        "{source}: page {page} is {width}x{height} pixels, more than the limit of {limit} "
        "megapixels",
        "{source}: trang {page} có {width}x{height} điểm ảnh, vượt giới hạn {limit} megapixel",
    ),
    "scanning.page_unreadable": (
        "{source}: page {page} could not be read ({reason})",
        "{source}: không đọc được trang {page} ({reason})",
    ),
    "scanning.path_not_found": (
        "{source}: not found",
        "{source}: không tìm thấy",
    ),
    "scanning.pdf_damaged": (
        "{source}: damaged PDF ({reason})",
        "{source}: tệp PDF bị hỏng ({reason})",
    ),
    "scanning.pdf_no_pages": (
        "{source}: the PDF has no pages",
        "{source}: tệp PDF không có trang nào",
    ),
    "scanning.pdf_page_damaged": (
        "{source}: page {page} could not be rendered (damaged PDF)",
        "{source}: không dựng hình được trang {page} (tệp PDF bị hỏng)",
    ),
    "scanning.pdf_page_empty_size": (
        "{source}: page {page} has an empty page size",
        "{source}: trang {page} có kích thước trang bằng 0",
    ),
    "scanning.pdf_page_slow": (
        "{source}: page {page} took too long to render; the file may be damaged",
        "{source}: trang {page} dựng hình quá lâu; có thể tệp đã bị hỏng",
    ),
    "scanning.pdf_page_too_large": (
        "{source}: page {page} is too large to render ({width:.0f}x{height:.0f} pt)",
        "{source}: trang {page} quá lớn để dựng hình ({width:.0f}x{height:.0f} pt)",
    ),
    "scanning.pdf_password": (
        "{source}: the PDF is password-protected; remove the password and import it again",
        "{source}: tệp PDF có mật khẩu; hãy gỡ mật khẩu rồi nhập lại",
    ),
    "scanning.pdf_slow": (
        "{source}: reading the PDF took too long; the file may be damaged",
        "{source}: đọc tệp PDF quá lâu; có thể tệp đã bị hỏng",
    ),
    "scanning.pdfinfo_missing": (
        "Poppler's pdfinfo was not found; install poppler-utils (Windows: the bundled Poppler)",
        "Không tìm thấy pdfinfo của Poppler; hãy cài poppler-utils (Windows: bản Poppler kèm "
        "theo)",
    ),
    "scanning.pdftoppm_missing": (
        "Poppler's pdftoppm was not found; install poppler-utils",
        "Không tìm thấy pdftoppm của Poppler; hãy cài poppler-utils",
    ),
    "scanning.scan_cancelled": (
        "scanner {device}: the scan was cancelled",
        "máy quét {device}: đã hủy lượt quét",
    ),
    "scanning.scanimage_missing": (
        "scanimage was not found; install SANE's command-line tools (apt install sane-utils)",
        "không tìm thấy scanimage; hãy cài bộ công cụ dòng lệnh của SANE (apt install "
        "sane-utils)",
    ),
    "scanning.scanner_failed": (
        "scanner {device} failed: {reason}",
        "máy quét {device} bị lỗi: {reason}",
    ),
    "scanning.scanner_not_found": (
        "scanner {device} was not found; check that it is switched on and connected",
        "không tìm thấy máy quét {device}; hãy kiểm tra máy đã bật và đã nối dây chưa",
    ),
    "scanning.scanner_page_unreadable": (
        "the scanner delivered an unreadable page ({reason})",
        "máy quét gửi về một trang không đọc được ({reason})",
    ),
    "scanning.scanner_paper_jam": (
        "scanner {device} sent no page for {waited:.0f} seconds; check it for a paper jam and "
        "scan again",
        "máy quét {device} không gửi trang nào trong {waited:.0f} giây; hãy kiểm tra kẹt giấy "
        "rồi quét lại",
    ),
    "scanning.scanner_silent": (
        "the scanner did not answer within {timeout:.0f} seconds; switch it off and on",
        "máy quét không trả lời trong {timeout:.0f} giây; hãy tắt máy rồi bật lại",
    ),
    "scanning.scanner_status": (
        "scanner {device}: {status}",
        "máy quét {device}: {status}",
    ),
    "scanning.scanner_unfinished": (
        "scanner {device} did not finish; switch it off and on",
        "máy quét {device} không hoàn tất; hãy tắt máy rồi bật lại",
    ),
    "scanning.status_access_denied": (
        "access to the scanner was denied (check the user's scanner permissions)",
        "không được phép truy cập máy quét (hãy kiểm tra quyền dùng máy quét của người dùng)",
    ),
    "scanning.status_attention": (
        "the scanner needs attention; look at its panel, then scan again",
        "máy quét cần được xử lý; hãy xem bảng điều khiển của máy rồi quét lại",
    ),
    "scanning.status_busy": (
        "the scanner is busy (another program may be using it); close it and try again",
        "máy quét đang bận (có thể một chương trình khác đang dùng); hãy đóng chương trình đó "
        "rồi thử lại",
    ),
    "scanning.status_connection_lost": (
        "Windows lost the connection to the scanner; check the USB cable (not through a hub) "
        "and scan again",
        "Windows mất kết nối với máy quét; hãy kiểm tra cáp USB (cắm thẳng vào máy, không qua "
        "bộ chia) rồi quét lại",
    ),
    "scanning.status_cover_open": (
        "the scanner cover is open; close it and scan again",
        "nắp máy quét đang mở; hãy đóng nắp rồi quét lại",
    ),
    "scanning.status_double_feed": (
        "two sheets went through the feeder together; fan the stack and scan again",
        "hai tờ giấy bị kéo vào khay nạp cùng lúc; hãy xòe tập giấy ra rồi quét lại",
    ),
    "scanning.status_in_use": (
        "the scanner is in use by another program; close it and try again",
        "máy quét đang được một chương trình khác sử dụng; hãy đóng chương trình đó rồi thử lại",
    ),
    "scanning.status_io_error": (
        "the scanner reported an input/output error; check the cable and power",
        "máy quét báo lỗi vào/ra; hãy kiểm tra dây cáp và nguồn điện",
    ),
    "scanning.status_jammed": (
        "the paper jammed in the document feeder; clear it and scan again",
        "giấy bị kẹt trong khay nạp giấy; hãy gỡ giấy kẹt rồi quét lại",
    ),
    "scanning.status_lamp_off": (
        "the scanner's lamp is off; switch the scanner off and on",
        "đèn của máy quét đang tắt; hãy tắt máy quét rồi bật lại",
    ),
    "scanning.status_low_memory": (
        "the computer ran out of memory; close other programs and scan again",
        "máy tính đã hết bộ nhớ; hãy đóng bớt các chương trình khác rồi quét lại",
    ),
    "scanning.status_no_docs": (
        "the document feeder is empty; put the sheets in and scan again",
        "khay nạp giấy đang trống; hãy đặt giấy vào rồi quét lại",
    ),
    "scanning.status_not_connected": (
        "the scanner is not connected; plug it in, switch it on and choose it again",
        "máy quét chưa được kết nối; hãy cắm dây, bật máy rồi chọn lại",
    ),
    "scanning.status_offline": (
        "the scanner does not answer; check that it is switched on and its USB cable is "
        "plugged in, then look in Windows Settings > Bluetooth & devices > Printers & scanners",
        "máy quét không trả lời; hãy kiểm tra máy đã bật và cáp USB đã cắm, rồi xem trong Cài "
        "đặt của Windows > Bluetooth & thiết bị > Máy in & máy quét",
    ),
    "scanning.status_paper_problem": (
        "the feeder could not take the sheet; straighten the stack and scan again",
        "khay nạp không kéo được tờ giấy; hãy xếp thẳng tập giấy rồi quét lại",
    ),
    "scanning.status_transport_lock": (
        "the scanner's transport lock is on; unlock it and scan again",
        "khóa vận chuyển của máy quét đang bật; hãy mở khóa rồi quét lại",
    ),
    "scanning.status_twain_driver_missing": (
        "the scanner's TWAIN driver is missing; reinstall the scanner maker's driver",
        "thiếu trình điều khiển TWAIN của máy quét; hãy cài lại trình điều khiển của hãng sản "
        "xuất máy quét",
    ),
    "scanning.status_warming_up": (
        "the scanner is warming up; wait a minute and scan again",
        "máy quét đang khởi động; hãy đợi một phút rồi quét lại",
    ),
    "scanning.status_windows_denied": (
        "Windows denied access to the scanner; sign in again or ask IT",
        "Windows từ chối truy cập máy quét; hãy đăng nhập lại hoặc hỏi bộ phận CNTT",
    ),
    "scanning.symlink_loop": (
        "{source}: a link loops back to a folder already read (symlink loop); it was skipped",
        "{source}: một liên kết trỏ ngược về thư mục đã đọc (vòng lặp liên kết); đã bỏ qua",
    ),
    "scanning.tesseract_language_missing": (
        "Tesseract has no '{language}' language data; install tesseract-ocr-vie",
        "Tesseract không có dữ liệu ngôn ngữ '{language}'; hãy cài tesseract-ocr-vie",
    ),
    "scanning.tesseract_not_found": (
        "Tesseract was not found; install tesseract-ocr with the osd and vie languages",
        "Không tìm thấy Tesseract; hãy cài tesseract-ocr cùng các ngôn ngữ osd và vie",
    ),
    "scanning.tesseract_timeout": (
        "Tesseract took more than {seconds:.0f} s on one page",
        "Tesseract xử lý một trang quá {seconds:.0f} giây",
    ),
    "scanning.twain_condition": (
        "scanner {device} failed (TWAIN condition {condition}); switch it off and on, and if "
        "it happens again reinstall the scanner maker's driver",
        "máy quét {device} bị lỗi (mã lỗi TWAIN {condition}); hãy tắt máy rồi bật lại, nếu còn "
        "lỗi thì cài lại trình điều khiển của hãng sản xuất máy quét",
    ),
    "scanning.twain_dsm_refused": (
        "{no_dsm} (it refused to open: return code {rc})",
        "{no_dsm} (trình quản lý từ chối mở: mã trả về {rc})",
    ),
    "scanning.twain_image_unreadable": (
        "scanner {device} sent an image we cannot read ({bits} bits, type {pixel_type}); "
        "choose colour or grey and scan again",
        "máy quét {device} gửi về một ảnh không đọc được ({bits} bit, kiểu {pixel_type}); hãy "
        "chọn chế độ màu hoặc xám rồi quét lại",
    ),
    "scanning.twain_needs_windows": (
        "TWAIN memory needs Windows",
        "Quét qua bộ nhớ TWAIN chỉ chạy trên Windows",
    ),
    "scanning.twain_no_dsm": (
        "Windows has no TWAIN data source manager (TWAINDSM.dll): install the scanner maker's "
        "64-bit TWAIN driver, or choose the scanner's WIA entry instead",
        "Windows chưa có trình quản lý nguồn dữ liệu TWAIN (TWAINDSM.dll): hãy cài trình điều "
        "khiển TWAIN 64-bit của hãng sản xuất máy quét, hoặc chọn mục WIA của máy quét",
    ),
    "scanning.twain_no_memory_transfer": (
        "scanner {device}'s TWAIN driver cannot hand pages over in memory; choose its WIA "
        "entry instead",
        "trình điều khiển TWAIN của máy quét {device} không chuyển trang qua bộ nhớ được; hãy "
        "chọn mục WIA của máy quét này",
    ),
    "scanning.twain_short_rows": (
        "the scanner sent rows shorter than the page is wide",
        "máy quét gửi về các hàng điểm ảnh ngắn hơn chiều rộng trang",
    ),
    "scanning.unknown_scanner": (
        "unknown scanner {name}: choose one that 'sohoa devices' lists",
        "không có máy quét {name}: hãy chọn một máy mà lệnh 'sohoa devices' liệt kê",
    ),
    "scanning.unsupported_platform": (
        "Scanning from a scanner works on Linux (SANE) and Windows (TWAIN, WIA) only; "
        "import the scanner's files instead",
        "Chỉ quét trực tiếp từ máy quét được trên Linux (SANE) và Windows (TWAIN, WIA); "
        "hãy nhập các tệp do máy quét tạo ra",
    ),
    "scanning.wia_error": (
        "scanner {device} failed (WIA error 0x{code:08X}); switch it off and on, and if it "
        "happens again reinstall its driver from Windows Update or the maker",
        "máy quét {device} bị lỗi (mã lỗi WIA 0x{code:08X}); hãy tắt máy rồi bật lại, nếu còn "
        "lỗi thì cài lại trình điều khiển từ Windows Update hoặc của hãng sản xuất",
    ),
    "scanning.wia_needs_windows": (
        "WIA scanning needs Windows",
        "Quét qua WIA chỉ chạy trên Windows",
    ),
    "scanning.wia_no_service": (
        "Windows Image Acquisition is not available: in services.msc set the service 'Windows "
        "Image Acquisition (WIA)' to Automatic and start it, then scan again",
        "Dịch vụ Windows Image Acquisition không chạy: trong services.msc hãy đặt dịch vụ "
        "'Windows Image Acquisition (WIA)' ở chế độ Automatic và khởi động nó, rồi quét lại",
    ),
    "scanning.wia_nothing_to_scan": (
        "the scanner's driver offers nothing to scan; reinstall it",
        "trình điều khiển của máy quét không có gì để quét; hãy cài lại trình điều khiển",
    ),
    "scanning.windows_scanner_not_found": (
        "scanner {name} was not found; check that it is switched on and connected, and that "
        "Windows lists it in Settings > Bluetooth & devices > Printers & scanners",
        "không tìm thấy máy quét {name}; hãy kiểm tra máy đã bật và đã nối dây chưa, và "
        "Windows có liệt kê máy trong Cài đặt > Bluetooth & thiết bị > Máy in & máy quét không",
    ),
    "store.account_deleted_outside": (
        "The account {name!r} was deleted outside sohoa.",
        "Tài khoản “{name}” đã bị xóa bên ngoài sohoa.",
    ),
    "store.account_disabled": (
        "The account {name!r} is disabled; ask the admin.",
        "Tài khoản “{name}” đã bị khóa; hãy hỏi quản trị viên.",
    ),
    "store.account_edited_outside": (
        "The account {name!r} was edited outside sohoa (role or state differs from the signed "
        "list of accounts): refused.",
        "Tài khoản “{name}” đã bị sửa bên ngoài sohoa (vai trò hoặc trạng thái khác với danh "
        "sách tài khoản đã ký): từ chối.",
    ),
    "store.account_not_signed": (
        "The account {name!r} was not made by an admin (it is not in the signed list of "
        "accounts): refused.",
        "Tài khoản “{name}” không do quản trị viên tạo (không có trong danh sách tài khoản đã "
        "ký): từ chối.",
    ),
    "store.accounts_list_changed": (
        "The list of accounts was changed outside sohoa (its signature does not verify); "
        "restore a backup and tell the ward's IT.",
        "Danh sách tài khoản đã bị sửa bên ngoài sohoa (chữ ký không hợp lệ); hãy khôi phục "
        "một bản sao lưu và báo bộ phận CNTT của phường.",
    ),
    "store.accounts_list_missing": (
        "The signed list of accounts is missing from the store; restore a backup.",
        "Danh sách tài khoản đã ký không có trong kho dữ liệu; hãy khôi phục một bản sao lưu.",
    ),
    "store.accounts_list_other_store": (
        "The list of accounts belongs to another store; restore a backup.",
        "Danh sách tài khoản thuộc về một kho dữ liệu khác; hãy khôi phục một bản sao lưu.",
    ),
    "store.already_initialised": (
        "A sohoa store already exists in {data_dir}.",
        "Đã có kho dữ liệu sohoa trong {data_dir}.",
    ),
    "store.audit_filter_date": (
        "{bound} {value!r} is not a date (YYYY-MM-DD) or an ISO time.",
        "{bound} “{value}” không phải ngày (YYYY-MM-DD) hoặc thời điểm ISO.",
    ),
    "store.audit_head_deleted": (
        "The audit log's head record was deleted: the log cannot be continued. Run `sohoa "
        "audit verify` and restore a backup.",
        "Bản ghi đầu của nhật ký thao tác đã bị xóa: không thể ghi tiếp nhật ký. Hãy chạy "
        "`sohoa audit verify` và khôi phục một bản sao lưu.",
    ),
    "store.audit_limit": (
        "The number of audit rows to show must be at least 1.",
        "Số dòng nhật ký cần hiển thị phải ít nhất là 1.",
    ),
    "store.backup_changed_during_restore": (
        "{source} changed while it was being restored.",
        "{source} đã bị thay đổi trong lúc đang khôi phục.",
    ),
    "store.backup_checksum": (
        "The backup is damaged: its database does not match its checksum.",
        "Bản sao lưu bị hỏng: cơ sở dữ liệu trong đó không khớp với mã kiểm tra.",
    ),
    "store.backup_file_exists": (
        "{out} already exists; choose a new file name.",
        "{out} đã tồn tại; hãy chọn tên tệp mới.",
    ),
    "store.backup_integrity": (
        "The backup's database fails its integrity check.",
        "Cơ sở dữ liệu trong bản sao lưu không qua được bước kiểm tra toàn vẹn.",
    ),
    "store.backup_no_file": (
        "There is no file {source}.",
        "Không có tệp {source}.",
    ),
    "store.backup_not_sohoa": (
        "{source} is not a sohoa backup.",
        "{source} không phải bản sao lưu của sohoa.",
    ),
    "store.backup_other_store": (
        "{source} is a backup of another store (id {other_id}…), not of the store in this "
        "folder: nothing was changed. An admin of this store replaces it with --replace-store.",
        "{source} là bản sao lưu của một kho dữ liệu khác (mã {other_id}…), không phải của kho "
        "trong thư mục này: chưa có gì bị thay đổi. Quản trị viên của kho này thay thế nó bằng "
        "--replace-store.",
    ),
    "store.backup_unreadable": (
        "{source} is not a readable sohoa backup (damaged or truncated).",
        "{source} không phải bản sao lưu sohoa đọc được (bị hỏng hoặc bị cắt cụt).",
    ),
    "store.backup_version_unknown": (
        "{source} is not a sohoa backup of a version this program reads.",
        "{source} là bản sao lưu sohoa của một phiên bản mà chương trình này không đọc được.",
    ),
    "store.batch_changed": (
        "Batch {name!r} was changed by someone else; look again.",
        "Lô “{name}” vừa được người khác thay đổi; hãy xem lại.",
    ),
    "store.batch_delete_documents": (
        "Batch {name!r} holds {documents} documents; delete them with it only on purpose "
        "(--with-documents).",
        "Lô “{name}” có {documents} văn bản; chỉ xóa lô cùng các văn bản khi thật sự muốn "
        "(--with-documents).",
    ),
    "store.batch_empty": (
        "Batch {name!r} has no documents to submit.",
        "Lô “{name}” chưa có văn bản nào để gửi duyệt.",
    ),
    "store.batch_exists": (
        "A batch named {name!r} already exists.",
        "Đã có lô tên “{name}”.",
    ),
    "store.batch_locked": (
        "Batch {name!r} is {state} and can no longer be changed.",
        "Lô “{name}” đang ở trạng thái “{state}” nên không thể thay đổi nữa.",
    ),
    "store.batch_name_length": (
        "A batch name is 1 to 120 characters.",
        "Tên lô dài từ 1 đến 120 ký tự.",
    ),
    "store.batch_not_found": (
        "There is no batch named {name!r} that you can see.",
        "Không có lô nào tên “{name}” mà bạn được xem.",
    ),
    "store.batch_not_owner": (
        "Batch {name!r} belongs to {owner}.",
        "Lô “{name}” thuộc về {owner}.",
    ),
    "store.batch_not_visible": (
        "That batch does not exist or is not yours to see.",
        "Lô này không tồn tại hoặc bạn không được xem.",
    ),
    "store.batch_sent_back_delete": (
        "Batch {name!r} was sent back for corrections; correct and submit it again instead of "
        "deleting it.",
        "Lô “{name}” đã bị trả lại để sửa; hãy sửa và gửi duyệt lại thay vì xóa.",
    ),
    "store.batch_wrong_state": (
        "Batch {name!r} is {state}, not {want}.",
        "Lô “{name}” đang ở trạng thái “{state}”, không phải “{want}”.",
    ),
    "store.blob_missing": (
        "The file {sha}… is not in the store.",
        "Tệp {sha}… không có trong kho dữ liệu.",
    ),
    "store.busy": (
        "The store is busy with another sohoa program; try again in a moment.",
        "Kho dữ liệu đang bận với một chương trình sohoa khác; hãy thử lại sau giây lát.",
    ),
    "store.cannot_open": (
        "Cannot open the store file: check that the folder exists and is writable.",
        "Không mở được tệp kho dữ liệu: hãy kiểm tra thư mục có tồn tại và ghi được không.",
    ),
    "store.cannot_write": (
        "Cannot write {what} to {out}: {reason}.",
        "Không ghi được {what} vào {out}: {reason}.",
    ),
    "store.data_dir_cannot_create": (
        "Cannot create the data folder {path}: {reason}.",
        "Không tạo được thư mục dữ liệu {path}: {reason}.",
    ),
    "store.data_dir_is_file": (
        "{path} is a file, not a folder: choose another data folder.",
        "{path} là một tệp, không phải thư mục: hãy chọn thư mục dữ liệu khác.",
    ),
    "store.disable_self": (
        "You cannot disable your own account.",
        "Không thể khóa tài khoản của chính mình.",
    ),
    "store.disk_full_change": (
        "The disk is full: the change in progress was not saved (what was saved before it "
        "stays). Free some space and try again.",
        "Ổ đĩa đã đầy: thay đổi đang làm chưa được lưu (những gì đã lưu trước đó vẫn còn). Hãy "
        "giải phóng bớt dung lượng rồi thử lại.",
    ),
    "store.disk_full_file": (
        "The disk is full: could not write {name}.",
        "Ổ đĩa đã đầy: không ghi được {name}.",
    ),
    "store.disk_full_folder": (
        "The disk is full: could not create {path}.",
        "Ổ đĩa đã đầy: không tạo được {path}.",
    ),
    "store.disk_full_not_written": (
        "The disk is full: {what} {out} was not written.",
        "Ổ đĩa đã đầy: chưa ghi được {what} {out}.",
    ),
    "store.disk_full_temp": (
        "The disk is full: a temporary file (a PDF or a package being made) could not be "
        "written.",
        "Ổ đĩa đã đầy: không ghi được một tệp tạm (một tệp PDF hoặc một gói đang tạo).",
    ),
    "store.disk_full_unsaved": (
        "The disk is full: the change in progress was not saved.",
        "Ổ đĩa đã đầy: thay đổi đang làm chưa được lưu.",
    ),
    "store.document_duplicate": (
        "{source} is already stored in this batch as document {document}.",
        "{source} đã được lưu trong lô này thành văn bản {document}.",
    ),
    "store.document_not_found": (
        "There is no document {doc_id} that you can see.",
        "Không có văn bản {doc_id} mà bạn được xem.",
    ),
    "store.dossier_exists": (
        "A dossier with file code {file_code!r} already exists.",
        "Đã có hồ sơ mã “{file_code}”.",
    ),
    "store.dossier_needs_code": (
        "A dossier needs a file code (mã hồ sơ).",
        "Hồ sơ phải có mã hồ sơ.",
    ),
    "store.dossier_not_visible": (
        "There is no dossier {dossier_id} that you can see.",
        "Không có hồ sơ {dossier_id} mà bạn được xem.",
    ),
    "store.field_date_format": (
        "{field} must be a date written YYYY-MM-DD (got {value!r}).",
        "{field} phải là ngày viết theo dạng YYYY-MM-DD (đã nhập: “{value}”).",
    ),
    "store.field_date_not_real": (
        "{field}: {value!r} is not a real date.",
        "{field}: “{value}” không phải ngày có thật.",
    ),
    "store.field_not_in_list": (
        "{field} must be one of {codes} (got {value!r}).",
        "{field} phải là một trong {codes} (đã nhập: “{value}”).",
    ),
    "store.field_too_long": (
        "{field} is longer than 2000 characters.",
        "{field} dài quá 2000 ký tự.",
    ),
    "store.file_damaged": (
        "The store file is damaged or is not a sohoa store; restore a backup.",
        "Tệp kho dữ liệu bị hỏng hoặc không phải kho của sohoa; hãy khôi phục một bản sao lưu.",
    ),
    "store.file_empty": (
        "The store file {name} is empty (0 bytes); restore a backup.",
        "Tệp kho dữ liệu {name} bị trống (0 byte); hãy khôi phục một bản sao lưu.",
    ),
    "store.file_missing": (
        "The store file is missing from {data_dir}; restore a backup.",
        "Tệp kho dữ liệu không có trong {data_dir}; hãy khôi phục một bản sao lưu.",
    ),
    "store.file_truncated": (
        "The store file {name} is truncated ({size} bytes); restore a backup.",
        "Tệp kho dữ liệu {name} bị cắt cụt ({size} byte); hãy khôi phục một bản sao lưu.",
    ),
    "store.file_unreadable": (
        "The store file in {data_dir} cannot be read (permissions); ask IT to give the folder "
        "back to the sohoa user.",
        "Không đọc được tệp kho dữ liệu trong {data_dir} (quyền truy cập); hãy nhờ bộ phận "
        "CNTT trả thư mục cho người dùng sohoa.",
    ),
    "store.gap_reason_submitter_only": (
        "Only the clerk who submitted batch {name!r} says why it has gaps.",
        "Chỉ văn thư đã gửi duyệt lô “{name}” mới nêu lý do lô còn thiếu sót.",
    ),
    "store.in_use": (
        "The store is in use by another sohoa program; close it and try again.",
        "Kho dữ liệu đang được một chương trình sohoa khác sử dụng; hãy đóng chương trình đó "
        "rồi thử lại.",
    ),
    "store.in_use_for": (
        "The store is in use by another sohoa program; close it to {task} and try again.",
        "Kho dữ liệu đang được một chương trình sohoa khác sử dụng; hãy đóng chương trình đó "
        "để {task} rồi thử lại.",
    ),
    "store.key_entry_damaged": (
        "This account's key entry is damaged; ask the admin to reset the password.",
        "Mục khóa của tài khoản này bị hỏng; hãy nhờ quản trị viên đặt lại mật khẩu.",
    ),
    "store.key_file_damaged": (
        "The key file {path} is damaged or not a sohoa key file; restore a backup.",
        "Tệp khóa {path} bị hỏng hoặc không phải tệp khóa của sohoa; hãy khôi phục một bản sao "
        "lưu.",
    ),
    "store.key_file_missing": (
        "The key file is missing from {parent}, but the store's other files are there (an "
        "interrupted restore, or a deletion): restore a backup with `sohoa restore`; do not "
        "run init.",
        "Tệp khóa không có trong {parent}, nhưng các tệp khác của kho dữ liệu vẫn còn (khôi "
        "phục bị ngắt giữa chừng, hoặc bị xóa): hãy khôi phục bản sao lưu bằng `sohoa "
        "restore`; đừng chạy init.",
    ),
    "store.key_file_unreadable": (
        "The key file {path} cannot be read (permissions); ask IT to give it back to the sohoa "
        "user.",
        "Không đọc được tệp khóa {path} (quyền truy cập); hãy nhờ bộ phận CNTT trả quyền cho "
        "người dùng sohoa.",
    ),
    "store.key_without_account": (
        "The user {name!r} has a key but no account; ask the admin.",
        "Người dùng “{name}” có khóa nhưng không có tài khoản; hãy hỏi quản trị viên.",
    ),
    "store.login_refused": (
        "Wrong user name or password.",
        "Sai tên người dùng hoặc mật khẩu.",
    ),
    "store.login_throttled": (
        "Too many failed attempts for this name: wait {seconds} s and try again.",
        "Đăng nhập sai quá nhiều lần với tên này: hãy đợi {seconds} giây rồi thử lại.",
    ),
    "store.no_admin_signing_key": (
        "{name} holds no admin signing key (the key entry was changed or the account was not "
        "made by an admin).",
        "{name} không giữ khóa ký quản trị (mục khóa đã bị thay đổi hoặc tài khoản không do "
        "quản trị viên tạo).",
    ),
    "store.not_initialised": (
        "No sohoa store in {parent}: run `sohoa init --admin NAME` first.",
        "Không có kho dữ liệu sohoa trong {parent}: hãy chạy `sohoa init --admin NAME` trước.",
    ),
    "store.outbox_changed": (
        "The outbox entry for {file_code} was changed by another program; look again.",
        "Mục gửi của {file_code} vừa bị một chương trình khác thay đổi; hãy xem lại.",
    ),
    "store.outbox_no_failed": (
        "No failed outbox entry for {file_codes}.",
        "Không có mục gửi lỗi nào cho {file_codes}.",
    ),
    "store.outbox_not_found": (
        "There is no outbox entry {item_id}.",
        "Không có mục {item_id} trong hàng đợi gửi.",
    ),
    "store.page_no_image": (
        "Page {ordinal} has no image.",
        "Trang {ordinal} không có ảnh.",
    ),
    "store.page_not_found": (
        "There is no page {page_id}.",
        "Không có trang {page_id}.",
    ),
    "store.password_common": (
        "This password is on the list of common passwords; choose another.",
        "Mật khẩu này nằm trong danh sách mật khẩu phổ biến; hãy chọn mật khẩu khác.",
    ),
    "store.password_is_name": (
        "A password may not be the user name.",
        "Mật khẩu không được trùng với tên người dùng.",
    ),
    "store.password_too_short": (
        "A password needs at least {n} characters.",
        "Mật khẩu cần ít nhất {n} ký tự.",
    ),
    "store.password_too_simple": (
        "This password is too simple (one or two characters repeated); choose another.",
        "Mật khẩu này quá đơn giản (chỉ lặp lại một hoặc hai ký tự); hãy chọn mật khẩu khác.",
    ),
    "store.permission_denied": (
        "{name} is a {role} and may not {perm}.",
        "{name} là {role} nên không được {perm}.",
    ),
    "store.read_only": (
        "The store's files cannot be written (read-only: a file, such as store.db-shm, or the "
        "folder); ask IT to give them back to the sohoa user. Nothing was changed.",
        "Không ghi được các tệp của kho dữ liệu (chỉ đọc: một tệp, ví dụ store.db-shm, hoặc "
        "thư mục); hãy nhờ bộ phận CNTT trả quyền cho người dùng sohoa. Chưa có gì bị thay đổi.",
    ),
    "store.receipt_other_package": (
        "The receipt for {file_code} names another package.",
        "Biên nhận của {file_code} ghi một gói khác.",
    ),
    "store.recovery_admin_only": (
        "The recovery key resets admin passwords only.",
        "Khóa khôi phục chỉ dùng để đặt lại mật khẩu quản trị viên.",
    ),
    "store.recovery_key_wrong": (
        "That recovery key does not open this store.",
        "Khóa khôi phục này không mở được kho dữ liệu này.",
    ),
    "store.restore_admin_only": (
        "Only an admin of the backed-up store can restore it.",
        "Chỉ quản trị viên của kho đã sao lưu mới được khôi phục nó.",
    ),
    "store.restore_interrupted": (
        "A restore into {data_dir} was interrupted; close every sohoa program and start again: "
        "it will be finished.",
        "Việc khôi phục vào {data_dir} đã bị ngắt giữa chừng; hãy đóng mọi chương trình sohoa "
        "rồi mở lại: việc khôi phục sẽ được hoàn tất.",
    ),
    "store.send_back_reason": (
        "Say why the batch is sent back (--reason).",
        "Hãy nêu lý do trả lại lô (--reason).",
    ),
    "store.signing_key_differs": (
        "The {name} signing key in the key file differs from the store's: one of them was "
        "replaced. Ask the admin; restore a backup.",
        "Khóa ký {name} trong tệp khóa khác với khóa trong kho dữ liệu: một trong hai đã bị "
        "thay thế. Hãy hỏi quản trị viên; khôi phục một bản sao lưu.",
    ),
    "store.signing_key_removed": (
        "This store has no {name} signing key: it was removed; restore a backup.",
        "Kho dữ liệu này không có khóa ký {name}: khóa đã bị gỡ bỏ; hãy khôi phục một bản sao "
        "lưu.",
    ),
    "store.signing_key_replaced": (
        "The store's {name} signing key was replaced (it no longer matches the one sealed for "
        "you): the accounts and the audit log cannot be trusted. Do not use this store; "
        "restore a backup and tell the ward's IT.",
        "Khóa ký {name} của kho dữ liệu đã bị thay thế (không còn khớp với khóa đã niêm phong "
        "cho bạn): không thể tin cậy các tài khoản và nhật ký thao tác. Đừng dùng kho dữ liệu "
        "này; hãy khôi phục một bản sao lưu và báo bộ phận CNTT của phường.",
    ),
    "store.signing_keys_removed": (
        "The store's signing keys were removed from its database: the accounts cannot be "
        "trusted. Restore a backup and tell the ward's IT.",
        "Các khóa ký của kho dữ liệu đã bị gỡ khỏi cơ sở dữ liệu: không thể tin cậy các tài "
        "khoản. Hãy khôi phục một bản sao lưu và báo bộ phận CNTT của phường.",
    ),
    "store.site_agency_code_format": (
        "agency_code must look like 000.00.12.H29 (got {value!r}).",
        "Mã định danh cơ quan phải có dạng 000.00.12.H29 (đã nhập: “{value}”).",
    ),
    "store.site_idle_lock_range": (
        "idle_lock_minutes must be a whole number from 1 to {high}.",
        "Thời gian tự khóa (idle_lock_minutes) phải là số phút nguyên từ 1 đến {high}.",
    ),
    "store.site_language": (
        "language is vi or en.",
        "Ngôn ngữ (language) là vi hoặc en.",
    ),
    "store.site_package_format": (
        "package_format is tar or zip.",
        "Định dạng gói (package_format) là tar hoặc zip.",
    ),
    "store.site_settings_tampered": (
        "The site settings (idle lock, warehouse address or CA bundle) were changed outside "
        "sohoa: refused. Ask the admin to set them again.",
        "Cài đặt đơn vị (thời gian tự khóa, địa chỉ kho dữ liệu thành phố hoặc bộ chứng thư "
        "CA) đã bị sửa bên ngoài sohoa: từ chối. Hãy nhờ quản trị viên đặt lại.",
    ),
    "store.site_regulation_placeholder": (
        "retention_regulation is still the example's placeholder; name the regulation in force.",
        "Văn bản quy định (retention_regulation) vẫn là giá trị mẫu; hãy ghi tên văn bản quy "
        "định đang có hiệu lực.",
    ),
    "store.site_retention_meaning_length": (
        "retention_codes: the meaning of {code} must be 1 to 300 characters of text.",
        "retention_codes: ý nghĩa của mã {code} phải là văn bản dài từ 1 đến 300 ký tự.",
    ),
    "store.site_retention_meaning_placeholder": (
        "retention_codes: the meaning of {code} is still the example's placeholder; copy the "
        "regulation's words.",
        "retention_codes: ý nghĩa của mã {code} vẫn là giá trị mẫu; hãy chép đúng lời văn của "
        "văn bản quy định.",
    ),
    "store.site_retention_not_object": (
        'retention_codes must be a JSON object such as {{"01": "…"}}.',
        'retention_codes phải là một đối tượng JSON, ví dụ {{"01": "…"}}.',
    ),
    "store.site_retention_unknown_code": (
        "retention_codes: {code!r} is not a retention code ({codes}).",
        "retention_codes: “{code}” không phải mã thời hạn bảo quản ({codes}).",
    ),
    "store.site_text_length": (
        "This setting must be 1 to 300 characters.",
        "Giá trị này dài từ 1 đến 300 ký tự.",
    ),
    "store.site_warehouse_url_https": (
        "warehouse_url must be an https:// address (got {value!r}).",
        "Địa chỉ kho dữ liệu thành phố (warehouse_url) phải bắt đầu bằng https:// (đã nhập: "
        "“{value}”).",
    ),
    "store.sitefile_ca_bundle_empty": (
        "{source}: ca_bundle {bundle} holds no PEM certificate.",
        "{source}: tệp ca_bundle {bundle} không chứa chứng thư PEM nào.",
    ),
    "store.sitefile_ca_bundle_path": (
        "ca_bundle must be an absolute path to a PEM file (got {value!r})",
        "ca_bundle phải là đường dẫn tuyệt đối tới một tệp PEM (đã nhập: “{value}”)",
    ),
    "store.sitefile_ca_bundle_unreadable": (
        "{source}: ca_bundle {bundle} cannot be read on this desk; ask IT to install it.",
        "{source}: máy này không đọc được tệp ca_bundle {bundle}; hãy nhờ bộ phận CNTT cài đặt "
        "nó.",
    ),
    "store.sitefile_invalid": (
        "{source}: {message}.",
        "{source}: {inner}",
    ),
    "store.sitefile_is_folder": (
        "{path} is a folder, not a site file.",
        "{path} là thư mục, không phải tệp cấu hình phường.",
    ),
    "store.sitefile_missing": (
        "There is no site file at {path}.",
        "Không có tệp cấu hình phường tại {path}.",
    ),
    "store.sitefile_missing_key": (
        "{source}: {missing} is missing (required: {required}).",
        "{source}: thiếu {missing} (bắt buộc: {required}).",
    ),
    "store.sitefile_not_toml": (
        "{source} is not valid TOML: {reason}.",
        "{source} không phải TOML hợp lệ: {reason}.",
    ),
    "store.sitefile_not_utf8": (
        "{path} is not UTF-8 text; save it as UTF-8.",
        "{path} không phải văn bản UTF-8; hãy lưu lại theo mã UTF-8.",
    ),
    "store.sitefile_token_format": (
        "enrolment_token must be 16 to 512 letters, digits or ._~+/=- exactly as the warehouse "
        "issued it",
        "enrolment_token phải gồm 16 đến 512 chữ cái, chữ số hoặc ._~+/=- đúng như kho dữ liệu "
        "thành phố đã cấp",
    ),
    "store.sitefile_token_placeholder": (
        "enrolment_token is still the example's placeholder; put the token the warehouse issued",
        "enrolment_token vẫn là giá trị mẫu; hãy điền mã đăng ký do kho dữ liệu thành phố cấp",
    ),
    "store.sitefile_retention_codes": (
        "{source}: retention needs each code's meaning: {form}.",
        "{source}: mục retention phải ghi ý nghĩa của từng mã: {form}.",
    ),
    "store.sitefile_retention_regulation": (
        "{source}: retention needs the regulation the meanings come from: {form}.",
        "{source}: mục retention phải ghi văn bản quy định mà các ý nghĩa được lấy từ đó: {form}.",
    ),
    "store.sitefile_retention_table": (
        "{source}: retention must be a table: {form}.",
        "{source}: mục retention phải là một bảng: {form}.",
    ),
    "store.sitefile_too_big": (
        "{path} is over {kib} KiB: not a site file.",
        "{path} lớn hơn {kib} KiB: không phải tệp cấu hình phường.",
    ),
    "store.sitefile_unknown_key": (
        "{source}: unknown key {unknown!r}; the keys are {keys}.",
        "{source}: khóa không xác định “{unknown}”; các khóa là {keys}.",
    ),
    "store.sitefile_unreadable": (
        "This account may not read {path}; ask IT to add it to the {group!r} group (adduser "
        "NAME {group}) and log in again.",
        "Tài khoản này không được đọc {path}; hãy nhờ bộ phận CNTT thêm tài khoản vào nhóm "
        "“{group}” (adduser NAME {group}) rồi đăng nhập lại.",
    ),
    "store.sitefile_unreadable_windows": (
        "This account may not read {path}; ask IT to check the file's permissions.",
        "Tài khoản này không được đọc {path}; hãy nhờ bộ phận CNTT kiểm tra quyền truy cập tệp.",
    ),
    "store.sitefile_url_placeholder": (
        "warehouse_url is still the example's address ({url}); put the address of your "
        "warehouse",
        "warehouse_url vẫn là địa chỉ mẫu ({url}); hãy điền địa chỉ kho dữ liệu thành phố của "
        "đơn vị",
    ),
    "store.sitefile_wrong_type": (
        "{source}: {key} must be {kind}.",
        "{source}: {key} phải là {kind}.",
    ),
    "store.sync_parallel_range": (
        "parallel must be from 1 to 8 uploads at once.",
        "Số lượt tải lên song song (parallel) phải từ 1 đến 8.",
    ),
    "store.sync_paused_value": (
        "paused is 0 or 1.",
        "paused chỉ nhận 0 hoặc 1.",
    ),
    "store.sync_setting_whole_number": (
        "{key} must be a whole number.",
        "{key} phải là số nguyên.",
    ),
    "store.temp_not_folder": (
        "{path} should be sohoa's own temp folder but is a file or a link: remove it (nothing "
        "of the store is in it), then try again.",
        "{path} lẽ ra là thư mục tạm riêng của sohoa nhưng lại là một tệp hoặc một liên kết: "
        "hãy xóa nó (trong đó không có gì của kho dữ liệu), rồi thử lại.",
    ),
    "store.too_new": (
        "This store was written by a newer sohoa (schema {current}, this program knows "
        "{latest}); install the newer version — downgrades are not supported.",
        "Kho dữ liệu này được ghi bởi một phiên bản sohoa mới hơn (lược đồ {current}, chương "
        "trình này chỉ biết đến {latest}); hãy cài phiên bản mới hơn — không hỗ trợ quay về "
        "phiên bản cũ.",
    ),
    "store.unknown_document_fields": (
        "Unknown document field(s): {fields}.",
        "Trường văn bản không xác định: {fields}.",
    ),
    "store.unknown_dossier_fields": (
        "Unknown dossier field(s): {fields}.",
        "Trường hồ sơ không xác định: {fields}.",
    ),
    "store.unknown_outbox_states": (
        "Unknown outbox state(s): {states}.",
        "Trạng thái hàng đợi gửi không xác định: {states}.",
    ),
    "store.unknown_role": (
        "Unknown role {text!r}: use clerk, supervisor or admin.",
        "Không có vai trò “{text}”: hãy dùng clerk (văn thư), supervisor (giám sát) hoặc admin "
        "(quản trị viên).",
    ),
    "store.unknown_site_setting": (
        "Unknown site setting {key!r}: {keys}.",
        "Không có cài đặt đơn vị “{key}”; các cài đặt là: {keys}.",
    ),
    "store.unknown_sync_setting": (
        "Unknown sync setting {key!r}: {keys}.",
        "Không có cài đặt đồng bộ “{key}”; các cài đặt là: {keys}.",
    ),
    "store.upload_offset_outside": (
        "Upload offset {offset} is outside the package.",
        "Vị trí tải lên {offset} nằm ngoài gói.",
    ),
    "store.user_exists": (
        "A user named {name!r} already exists.",
        "Đã có người dùng tên “{name}”.",
    ),
    "store.user_name_chars": (
        "A user name may hold letters, digits, '.', '-' and '_' only (not U+{ch:04X}).",
        "Tên người dùng chỉ gồm chữ cái, chữ số, '.', '-' và '_' (không dùng được U+{ch:04X}).",
    ),
    "store.user_name_first_char": (
        "A user name starts with a letter or a digit.",
        "Tên người dùng phải bắt đầu bằng một chữ cái hoặc chữ số.",
    ),
    "store.user_name_length": (
        "A user name is 1 to 64 characters.",
        "Tên người dùng dài từ 1 đến 64 ký tự.",
    ),
    "store.user_name_mixed_scripts": (
        "A user name must be written in one alphabet (letters of {scripts} are mixed).",
        "Tên người dùng phải viết bằng một bảng chữ cái (đang trộn chữ {scripts}).",
    ),
    "store.user_not_found": (
        "There is no user named {user_name!r}.",
        "Không có người dùng nào tên “{user_name}”.",
    ),
    "store.write_failed": (
        "The store could not be written: the disk is full or failing. The change in progress "
        "was not saved; free some space and try again.",
        "Không ghi được kho dữ liệu: ổ đĩa đã đầy hoặc đang hỏng. Thay đổi đang làm chưa được "
        "lưu; hãy giải phóng bớt dung lượng rồi thử lại.",
    ),
    "sync.already_running": (
        "Another sync is already running on this station.",
        "Máy trạm này đang có một lượt đồng bộ khác chạy.",
    ),
    "sync.blob_damaged": (
        "The file {sha}… is damaged in the store; restore a backup.",
        "Tệp {sha}… trong kho dữ liệu bị hỏng; hãy khôi phục một bản sao lưu.",
    ),
    "sync.blob_too_long": (
        "{path} is longer than the store says; restore a backup.",
        "{path} dài hơn kích thước kho dữ liệu ghi nhận; hãy khôi phục một bản sao lưu.",
    ),
    "sync.blob_wrong_size": (
        "{path} has {written} bytes, not {size}.",
        "{path} có {written} byte, không phải {size}.",
    ),
    "sync.ca_bundle_missing": (
        "The site's CA bundle {ca_bundle} does not exist; an admin sets `site set ca_bundle "
        "FILE`.",
        "Bộ chứng thư CA của đơn vị {ca_bundle} không tồn tại; quản trị viên đặt lại bằng "
        "`site set ca_bundle FILE`.",
    ),
    "sync.chunk_max_below_first": (
        "The largest upload chunk cannot be smaller than the first.",
        "Khối tải lên lớn nhất không được nhỏ hơn khối đầu tiên.",
    ),
    "sync.chunk_too_small": (
        "The upload chunk must be at least 4 KiB.",
        "Khối tải lên phải ít nhất 4 KiB.",
    ),
    "sync.dossier_empty": (
        "Dossier {file_code} has no documents to send.",
        "Hồ sơ {file_code} không có văn bản nào để gửi.",
    ),
    "sync.dossier_not_approved": (
        "Dossier {file_code} is in a batch that is {state}, not approved: only approved "
        "batches are sent.",
        "Hồ sơ {file_code} thuộc một lô đang ở trạng thái “{state}”, chưa được duyệt: chỉ lô "
        "đã duyệt mới được gửi.",
    ),
    "sync.dossier_not_found": (
        "There is no dossier {dossier_id}.",
        "Không có hồ sơ {dossier_id}.",
    ),
    "sync.enrol_denied": (
        "{name} may not enrol the station: ask the admin.",
        "{name} không được đăng ký máy trạm: hãy hỏi quản trị viên.",
    ),
    "sync.enrolled_elsewhere": (
        "This station is enrolled with {warehouse_url} and sync sends there; to use {url} an "
        "admin enrols again: `sohoa enrol {url} TOKEN` with a new token from IT.",
        "Máy trạm này đã đăng ký với {warehouse_url} và đồng bộ gửi về đó; để dùng {url}, quản "
        "trị viên đăng ký lại: `sohoa enrol {url} TOKEN` với mã đăng ký mới từ bộ phận CNTT.",
    ),
    "sync.enrolment_incomplete": (
        "The warehouse's enrolment answer is incomplete.",
        "Trả lời đăng ký của kho dữ liệu thành phố không đầy đủ.",
    ),
    "sync.export_dossier_not_found": (
        "There is no dossier {file_code!r}.",
        "Không có hồ sơ “{file_code}”.",
    ),
    "sync.export_folder": (
        "{out_dir} is not a folder and cannot be made ({reason}).",
        "{out_dir} không phải thư mục và không tạo được ({reason}).",
    ),
    "sync.file_code_unusable": (
        "The file code {file_code!r} cannot name a package: use letters, digits, dots, hyphens "
        "and underscores.",
        "Mã hồ sơ “{file_code}” không dùng làm tên gói được: hãy dùng chữ cái, chữ số, dấu "
        "chấm, gạch ngang và gạch dưới.",
    ),
    "sync.foreign_origin": (
        "[{code}] The warehouse sent this station to {url}, not to {base_url} where it "
        "enrolled: nothing was sent there. Tell IT; if the warehouse really moved, an admin "
        "enrols again.",
        "[{code}] Kho dữ liệu thành phố chuyển máy trạm này tới {url}, không phải {base_url} "
        "nơi đã đăng ký: chưa gửi gì tới đó. Hãy báo bộ phận CNTT; nếu kho thật sự đã chuyển "
        "địa chỉ, quản trị viên đăng ký lại.",
    ),
    "sync.foreign_origin_redirect": (
        "[{code}] The warehouse redirected {method} {path} ({status_code}); redirects are not "
        "followed.",
        "[{code}] Kho dữ liệu thành phố chuyển hướng {method} {path} ({status_code}); không đi "
        "theo chuyển hướng.",
    ),
    "sync.negative_limits": (
        "Parallel uploads and the bandwidth limit cannot be negative.",
        "Số lượt tải lên song song và giới hạn băng thông không được âm.",
    ),
    "sync.not_enrolled": (
        "This station is not enrolled with the warehouse: an admin runs `sohoa enrol URL "
        "TOKEN` first.",
        "Máy trạm này chưa đăng ký với kho dữ liệu thành phố: quản trị viên cần chạy `sohoa "
        "enrol URL TOKEN` trước.",
    ),
    "sync.package_folder_exists": (
        "{folder} already exists; choose an empty folder.",
        "{folder} đã tồn tại; hãy chọn một thư mục trống.",
    ),
    "sync.package_not_sent": (
        "This package could not be sent ({kind}).",
        "Không gửi được gói này ({kind}).",
    ),
    "sync.page_unreadable": (
        "Document {ordinal} of {file_code} has no PDF and its page {page} is not a readable "
        "image.",
        "Văn bản {ordinal} của hồ sơ {file_code} không có PDF và trang {page} của nó không "
        "phải ảnh đọc được.",
    ),
    "sync.pdfa_failed": (
        "Document {ordinal} of {file_code}: cannot make its PDF/A ({reason}).",
        "Văn bản {ordinal} của hồ sơ {file_code}: không tạo được PDF/A ({reason}).",
    ),
    "sync.plain_http": (
        "Plain http:// is refused: the warehouse must use https:// (http is allowed only to "
        "this machine, for tests).",
        "Không chấp nhận http:// thường: kho dữ liệu thành phố phải dùng https:// (http chỉ "
        "được dùng với chính máy này, để kiểm thử).",
    ),
    "sync.receipt_no_id": (
        "The warehouse's receipt has no id.",
        "Biên nhận của kho dữ liệu thành phố không có mã.",
    ),
    "sync.receipt_other_package": (
        "The warehouse's receipt names another package.",
        "Biên nhận của kho dữ liệu thành phố ghi một gói khác.",
    ),
    "sync.receipt_unsigned": (
        "The warehouse's receipt is not signed by the warehouse this station enrolled with.",
        "Biên nhận không được ký bởi kho dữ liệu thành phố mà máy trạm này đã đăng ký.",
    ),
    "sync.tls": (
        "[{code}] TLS with the warehouse failed ({reason}): IT checks its certificate or sets "
        "the site's CA bundle (`sohoa site set ca_bundle FILE`).",
        "[{code}] Kết nối TLS với kho dữ liệu thành phố thất bại ({reason}): bộ phận CNTT kiểm "
        "tra chứng thư của kho hoặc đặt bộ chứng thư CA của đơn vị (`sohoa site set ca_bundle "
        "FILE`).",
    ),
    "sync.token_empty": (
        "The enrolment token is empty; type the token IT gave you.",
        "Mã đăng ký đang trống; hãy nhập mã do bộ phận CNTT cấp.",
    ),
    "sync.token_rejected": (
        "The enrolment token is unknown, used or expired; ask IT for a new one.",
        "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn; hãy xin bộ phận CNTT mã mới.",
    ),
    "sync.unreachable": (
        "The warehouse cannot be reached ({kind}).",
        "Không kết nối được kho dữ liệu thành phố ({kind}).",
    ),
    "sync.upload_contradictions": (
        "The warehouse keeps contradicting itself about this upload.",
        "Kho dữ liệu thành phố liên tục trả lời mâu thuẫn về lượt tải lên này.",
    ),
    "sync.upload_no_location": (
        "The warehouse created an upload without a Location.",
        "Kho dữ liệu thành phố tạo lượt tải lên nhưng không gửi Location.",
    ),
    "sync.upload_no_offset": (
        "The warehouse sent no Upload-Offset.",
        "Kho dữ liệu thành phố không gửi Upload-Offset.",
    ),
    "sync.url_not_https": (
        "The warehouse address must be an https:// URL (got {url!r}).",
        "Địa chỉ kho dữ liệu thành phố phải là URL https:// (đã nhập: “{url}”).",
    ),
    "sync.warehouse_answered": (
        "The warehouse answered {status}: {reason}",
        "Kho dữ liệu thành phố trả lời {status}: {reason}",
    ),
    # the command line"s own sentences (cli/)
    "cli.password_file_unreadable": (
        "Cannot read the password file {path}: {reason}.",
        "Không đọc được tệp mật khẩu {path}: {reason}.",
    ),
    "cli.password_file_too_long": (
        "The password file {path} is not a password file (too long).",
        "Tệp {path} không phải tệp mật khẩu (quá dài).",
    ),
    "cli.password_file_not_text": (
        "The password file {path} is not text (UTF-8).",
        "Tệp mật khẩu {path} không phải văn bản (UTF-8).",
    ),
    "cli.password_file_control": (
        "The password file {path} holds control characters.",
        "Tệp mật khẩu {path} chứa ký tự điều khiển.",
    ),
    "cli.password_file_empty": (
        "The password file {path} is empty.",
        "Tệp mật khẩu {path} trống.",
    ),
    "cli.secret_not_given": (
        "No {label} given: use a file option, the environment variable, or a terminal.",
        "Chưa có mật khẩu: hãy dùng tùy chọn tệp, biến môi trường hoặc nhập tại cửa sổ "
        "dòng lệnh.",
    ),
    "cli.passwords_differ": (
        "The two passwords differ.",
        "Hai mật khẩu không khớp nhau.",
    ),
    "cli.who": (
        "Say who you are: --user NAME or SOHOA_USER.",
        "Hãy cho biết bạn là ai: --user TÊN hoặc SOHOA_USER.",
    ),
    "cli.no_display": (
        "No graphical display here; run a command instead (sohoa --help).",
        "Máy này không có màn hình đồ họa; hãy chạy một lệnh (sohoa --help).",
    ),
    "cli.not_a_folder": (
        "{folder} is not a folder.",
        "{folder} không phải là thư mục.",
    ),
    "cli.turn_needs_page": (
        "--turn needs --page N: which page to turn.",
        "--turn cần --page N: xoay trang nào.",
    ),
    "cli.page_range": (
        "Document {id} has pages 1 to {last}.",
        "Văn bản {id} có các trang từ 1 đến {last}.",
    ),
    "cli.exists": (
        "{out} already exists; choose a new file name or add --force.",
        "{out} đã có; hãy chọn tên tệp mới hoặc thêm --force.",
    ),
    "cli.no_pdf": (
        "Document {id} has no PDF (no readable page).",
        "Văn bản {id} chưa có PDF (không có trang đọc được).",
    ),
    "cli.search_empty": (
        "Give something to search for.",
        "Hãy nhập nội dung cần tìm.",
    ),
    "cli.audit_broken": (
        "The audit log is broken{where}: {reason}.",
        "Nhật ký kiểm tra bị hỏng{where}: {reason}.",
    ),
    "cli.audit_disagrees": (
        "The audit log disagrees with {checked}: {remote}.",
        "Nhật ký kiểm tra không khớp với {checked}: {remote}.",
    ),
}
