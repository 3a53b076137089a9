<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Admin</name>
    <message>
        <source>Ward name</source>
        <translation>Tên phường</translation>
    </message>
    <message>
        <source>Agency code (e.g. 000.00.12.H29)</source>
        <translation>Mã định danh cơ quan (vd. 000.00.12.H29)</translation>
    </message>
    <message>
        <source>Warehouse address (https://…)</source>
        <translation>Địa chỉ kho dữ liệu (https://…)</translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation>Tệp chứng chỉ CA</translation>
    </message>
    <message>
        <source>Lock after idle (minutes)</source>
        <translation>Khóa khi không dùng (phút)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>Users and roles</source>
        <translation>Người dùng và vai trò</translation>
    </message>
    <message>
        <source>Site settings</source>
        <translation>Cài đặt đơn vị</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Tình trạng máy</translation>
    </message>
    <message>
        <source>Warehouse and backup</source>
        <translation>Kho dữ liệu và sao lưu</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>object, field or value contains…</source>
        <translation>đối tượng, trường hoặc giá trị có chứa…</translation>
    </message>
    <message>
        <source>Verify the chain</source>
        <translation>Kiểm tra chuỗi</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Xuất…</translation>
    </message>
    <message>
        <source>A CSV of the rows shown; citizen IDs are masked</source>
        <translation>Tệp CSV các dòng đang hiện; số CCCD được che</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>Mọi người dùng</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Mọi thao tác</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>Giá trị cũ</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>Giá trị mới</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Intact: {rows} rows, none changed or missing.</source>
        <translation>Nguyên vẹn: {rows} dòng, không dòng nào bị sửa hay mất.</translation>
    </message>
    <message>
        <source>BROKEN at row {row}: {reason}</source>
        <translation>BỊ HỎNG tại dòng {row}: {reason}</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>Xuất nhật ký thao tác</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>STT</translation>
    </message>
    <message>
        <source>Object type</source>
        <translation>Loại đối tượng</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>Đã xuất</translation>
    </message>
    <message>
        <source>{n} rows written to {path}.</source>
        <translation>Đã ghi {n} dòng vào {path}.</translation>
    </message>
</context>
<context>
    <name>BatchTree</name>
    <message>
        <source>Sent back: {reason}</source>
        <translation>Bị trả lại: {reason}</translation>
    </message>
    <message>
        <source>{name} — {state} · {documents} documents</source>
        <translation>{name} — {state} · {documents} văn bản</translation>
    </message>
    <message>
        <source>{code} ({unchecked} of {documents} to check)</source>
        <translation>{code} (chưa kiểm tra {unchecked}/{documents})</translation>
    </message>
    <message>
        <source>(no type)</source>
        <translation>(chưa có loại)</translation>
    </message>
</context>
<context>
    <name>CaptureDialog</name>
    <message>
        <source>Capture</source>
        <translation>Nhập tài liệu</translation>
    </message>
    <message>
        <source>A new dossier for each document</source>
        <translation>Mỗi văn bản một hồ sơ mới</translation>
    </message>
    <message>
        <source>All into the dossier</source>
        <translation>Tất cả vào hồ sơ</translation>
    </message>
    <message>
        <source>dossier code</source>
        <translation>mã hồ sơ</translation>
    </message>
    <message>
        <source>Cover sheets start a new dossier</source>
        <translation>Phiếu bìa bắt đầu một hồ sơ mới</translation>
    </message>
    <message>
        <source>A blank sheet ends a document</source>
        <translation>Tờ giấy trắng kết thúc một văn bản</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lô</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <source>%v of %m pages</source>
        <translation>%v/%m trang</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Bắt đầu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Print cover sheet…</source>
        <translation>In phiếu bìa…</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Thêm tệp…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Thêm thư mục…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>PDF, TIFF, JPEG or PNG files, or whole folders; you can also drop files on the main window.</source>
        <translation>Tệp PDF, TIFF, JPEG hoặc PNG, hoặc cả thư mục; cũng có thể kéo thả tệp vào cửa sổ chính.</translation>
    </message>
    <message>
        <source>Find scanners</source>
        <translation>Tìm máy quét</translation>
    </message>
    <message>
        <source>Flatbed</source>
        <translation>Mặt kính</translation>
    </message>
    <message>
        <source>Document feeder (ADF)</source>
        <translation>Khay nạp giấy (ADF)</translation>
    </message>
    <message>
        <source>Both sides (duplex)</source>
        <translation>Quét hai mặt</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Xám</translation>
    </message>
    <message>
        <source>Black and white</source>
        <translation>Đen trắng</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Nạp giấy từ</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <source>Scans ({patterns});;All files (*)</source>
        <translation>Bản quét ({patterns});;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>Thêm tệp</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Thêm thư mục</translation>
    </message>
    <message>
        <source>Looking for scanners…</source>
        <translation>Đang tìm máy quét…</translation>
    </message>
    <message>
        <source>No scanner: {reason}</source>
        <translation>Không có máy quét: {reason}</translation>
    </message>
    <message>
        <source>No scanner found</source>
        <translation>Không tìm thấy máy quét</translation>
    </message>
    <message>
        <source>Choose a scanner first (Find scanners).</source>
        <translation>Hãy chọn máy quét trước (Tìm máy quét).</translation>
    </message>
    <message>
        <source>Add files or folders to import first.</source>
        <translation>Hãy thêm tệp hoặc thư mục cần nhập trước.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Đang bắt đầu…</translation>
    </message>
    <message>
        <source>{n} sheets scanned</source>
        <translation>Đã quét {n} tờ</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Đang hủy…</translation>
    </message>
    <message>
        <source> of {total}</source>
        <translation>/{total}</translation>
    </message>
    <message>
        <source>, {failed} failed</source>
        <translation>, {failed} lỗi</translation>
    </message>
    <message>
        <source>Page {done}{of} · {rate} pages/min{failures}</source>
        <translation>Trang {done}{of} · {rate} trang/phút{failures}</translation>
    </message>
    <message>
        <source>Page {n}: read</source>
        <translation>Trang {n}: đã đọc</translation>
    </message>
    <message>
        <source>Page {n}: failed</source>
        <translation>Trang {n}: lỗi</translation>
    </message>
    <message>
        <source>Document #{id} stored from {name}</source>
        <translation>Đã lưu văn bản #{id} từ {name}</translation>
    </message>
    <message>
        <source>{name} is already stored as document #{id}</source>
        <translation>{name} đã được lưu là văn bản #{id}</translation>
    </message>
    <message>
        <source>{name}: failed: {reason}</source>
        <translation>{name}: lỗi: {reason}</translation>
    </message>
    <message>
        <source>Capture stopped.</source>
        <translation>Đã dừng nhập.</translation>
    </message>
    <message>
        <source>{stored} documents stored, {dupes} already there, {failed} failed; {pages} pages.</source>
        <translation>Đã lưu {stored} văn bản, {dupes} đã có, {failed} lỗi; {pages} trang.</translation>
    </message>
    <message>
        <source>Cover sheet</source>
        <translation>Phiếu bìa</translation>
    </message>
    <message>
        <source>Title of dossier {code}:</source>
        <translation>Tiêu đề hồ sơ {code}:</translation>
    </message>
    <message>
        <source>Save the cover sheet</source>
        <translation>Lưu phiếu bìa</translation>
    </message>
    <message>
        <source>Document #{id} kept from {name}, incomplete: {read} of {total} pages read; import the file again to replace it</source>
        <translation>Đã giữ văn bản #{id} từ {name}, chưa đủ trang: đọc {read}/{total} trang; hãy nhập lại tệp để thay</translation>
    </message>
    <message>
        <source> (replaces incomplete document {ids})</source>
        <translation> (thay văn bản chưa đủ trang {ids})</translation>
    </message>
    <message>
        <source>Cancelled: {stored} documents are kept; a file cut short is kept as a document marked incomplete: import it again to replace it.</source>
        <translation>Đã hủy: giữ {stored} văn bản; tệp bị ngắt giữa chừng được giữ thành văn bản đánh dấu chưa đủ trang: hãy nhập lại để thay.</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <source>en</source>
        <comment>the language code of this translation (vi for Vietnamese)</comment>
        <translation>vi</translation>
    </message>
</context>
<context>
    <name>CorrectionForm</name>
    <message>
        <source>12 digits; several separated by commas</source>
        <translation>12 chữ số; nhiều số cách nhau bằng dấu phẩy</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation>ngày/tháng/năm</translation>
    </message>
    <message>
        <source>Read only.</source>
        <translation>Chỉ xem.</translation>
    </message>
    <message>
        <source>This batch was sent back: {reason}</source>
        <translation>Lô này bị trả lại: {reason}</translation>
    </message>
    <message>
        <source>Checked ✓</source>
        <translation>Đã kiểm tra ✓</translation>
    </message>
    <message>
        <source>Not checked yet — Ctrl+Enter marks it checked and opens the next one.</source>
        <translation>Chưa kiểm tra — Ctrl+Enter đánh dấu đã kiểm tra và mở văn bản tiếp theo.</translation>
    </message>
    <message>
        <source>Taken from the first document&apos;s summary, read with {percent}% confidence: check it</source>
        <translation>Lấy từ trích yếu của văn bản đầu, độ tin cậy khi đọc {percent}%: hãy kiểm tra</translation>
    </message>
    <message>
        <source>Its year comes from a date read with {percent}% confidence: check it</source>
        <translation>Năm lấy từ ngày văn bản đọc với độ tin cậy {percent}%: hãy kiểm tra</translation>
    </message>
    <message>
        <source>Written by hand on the paper: read it there and type it</source>
        <translation>Viết tay trên giấy: đọc trên trang và gõ vào</translation>
    </message>
    <message>
        <source>A seal crosses it on the page: check every letter</source>
        <translation>Dấu đỏ đè lên chữ trên trang: kiểm tra từng chữ</translation>
    </message>
    <message>
        <source>Part of it could not be read: complete it from the page</source>
        <translation>Một phần không đọc được: bổ sung theo trang</translation>
    </message>
    <message>
        <source>Marks put back from the word lists: check the page</source>
        <translation>Dấu được khôi phục theo từ điển: đối chiếu với trang</translation>
    </message>
    <message>
        <source>A word looks misread: check it against the page</source>
        <translation>Có từ có vẻ đọc sai: đối chiếu với trang</translation>
    </message>
    <message>
        <source>Written with abbreviations: check how the page spells it</source>
        <translation>Có chữ viết tắt: kiểm tra cách viết trên trang</translation>
    </message>
    <message>
        <source>The text around it was damaged: check it against the page</source>
        <translation>Chữ xung quanh bị hỏng: đối chiếu với trang</translation>
    </message>
    <message>
        <source>Read with {percent}% confidence: check it against the page</source>
        <translation>Độ tin cậy khi đọc {percent}%: hãy đối chiếu với trang</translation>
    </message>
    <message>
        <source>Corrected by hand</source>
        <translation>Đã sửa tay</translation>
    </message>
    <message>
        <source>Confirmed when the document was checked</source>
        <translation>Đã xác nhận khi kiểm tra văn bản</translation>
    </message>
    <message>
        <source>Dossier: other fields</source>
        <translation>Hồ sơ: các trường khác</translation>
    </message>
    <message>
        <source>Incomplete: the import was cancelled after {read} of {total} pages were read. Import the file again to replace this document.</source>
        <translation>Chưa đủ trang: lần nhập bị hủy sau khi đọc {read}/{total} trang. Hãy nhập lại tệp để thay văn bản này.</translation>
    </message>
    <message>
        <source>Incomplete: the import was cancelled after {read} pages were read. Import the file again to replace this document.</source>
        <translation>Chưa đủ trang: lần nhập bị hủy sau khi đọc {read} trang. Hãy nhập lại tệp để thay văn bản này.</translation>
    </message>
    <message>
        <source>Not found on the page: read it on the paper and type it</source>
        <translation>Không tìm thấy trên trang: hãy đọc trên giấy và gõ vào</translation>
    </message>
    <message>
        <source>Retention codes and their meanings as set by {regulation} (the site file)</source>
        <translation>Mã thời hạn bảo quản và ý nghĩa theo {regulation} (tệp cấu hình phường)</translation>
    </message>
    <message>
        <source>The site file names no regulation for the retention codes: the code is shown without its meaning</source>
        <translation>Tệp cấu hình phường không nêu văn bản quy định nào cho mã thời hạn bảo quản: chỉ hiện mã, không kèm ý nghĩa</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Cannot log in</source>
        <translation>Không đăng nhập được</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>Không được phép</translation>
    </message>
    <message>
        <source>Cannot be changed</source>
        <translation>Không thể thay đổi</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Không tìm thấy</translation>
    </message>
    <message>
        <source>Store in use</source>
        <translation>Kho đang được dùng</translation>
    </message>
    <message>
        <source>Could not do that</source>
        <translation>Không thực hiện được</translation>
    </message>
    <message>
        <source>The request is incomplete.</source>
        <translation>Yêu cầu chưa đủ thông tin.</translation>
    </message>
    <message>
        <source>This input cannot be used.</source>
        <translation>Không dùng được dữ liệu đầu vào này.</translation>
    </message>
    <message>
        <source>Some inputs failed; the others were stored.</source>
        <translation>Một số tệp bị lỗi; các tệp còn lại đã được lưu.</translation>
    </message>
    <message>
        <source>The password is wrong.</source>
        <translation>Mật khẩu không đúng.</translation>
    </message>
    <message>
        <source>There is no such user on this station.</source>
        <translation>Máy này không có người dùng này.</translation>
    </message>
    <message>
        <source>Your role does not allow this.</source>
        <translation>Vai trò của bạn không được phép làm việc này.</translation>
    </message>
    <message>
        <source>The store is damaged; ask IT to restore the latest backup.</source>
        <translation>Kho dữ liệu bị hỏng; hãy nhờ bộ phận CNTT khôi phục bản sao lưu gần nhất.</translation>
    </message>
    <message>
        <source>Another sohoa program is using the store; try again in a moment.</source>
        <translation>Một chương trình sohoa khác đang dùng kho dữ liệu; hãy thử lại sau ít phút.</translation>
    </message>
    <message>
        <source>The disk is full: nothing was changed. Free some space and try again.</source>
        <translation>Ổ đĩa đã đầy: chưa có gì bị thay đổi. Hãy giải phóng dung lượng rồi thử lại.</translation>
    </message>
    <message>
        <source>It no longer exists, or you cannot see it.</source>
        <translation>Mục này không còn, hoặc bạn không được xem.</translation>
    </message>
    <message>
        <source>This cannot be done in its present state.</source>
        <translation>Không thể làm việc này ở trạng thái hiện tại.</translation>
    </message>
    <message>
        <source>This station or account is not set up yet.</source>
        <translation>Máy hoặc tài khoản này chưa được thiết lập.</translation>
    </message>
    <message>
        <source>The audit log was altered: tell your supervisor at once.</source>
        <translation>Nhật ký kiểm tra đã bị sửa đổi: hãy báo ngay cho người phụ trách.</translation>
    </message>
    <message>
        <source>A newer sohoa made this store; ask IT to update this station.</source>
        <translation>Kho dữ liệu được tạo bởi phiên bản sohoa mới hơn; hãy nhờ bộ phận CNTT cập nhật máy này.</translation>
    </message>
    <message>
        <source>A program sohoa needs (Tesseract, Poppler or SANE) failed; ask IT.</source>
        <translation>Một chương trình sohoa cần (Tesseract, Poppler hoặc SANE) bị lỗi; hãy báo bộ phận CNTT.</translation>
    </message>
    <message>
        <source>The warehouse cannot be reached; the data waits here and is sent later.</source>
        <translation>Không kết nối được kho dữ liệu thành phố; dữ liệu được giữ tại máy này và sẽ gửi sau.</translation>
    </message>
    <message>
        <source>The warehouse&apos;s TLS certificate is not trusted: nothing was sent. IT checks it or sets the site&apos;s CA file.</source>
        <translation>Chứng chỉ TLS của kho dữ liệu không được tin cậy: chưa gửi gì. Bộ phận CNTT kiểm tra chứng chỉ hoặc đặt tệp chứng chỉ CA của phường.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
    <message>
        <source>Details: {detail}</source>
        <translation>Chi tiết: {detail}</translation>
    </message>
    <message>
        <source> Details were written to {log}.</source>
        <translation> Chi tiết đã được ghi vào {log}.</translation>
    </message>
    <message>
        <source>An internal error occurred ({kind}); please report it.</source>
        <translation>Đã xảy ra lỗi nội bộ ({kind}); vui lòng báo lại.</translation>
    </message>
</context>
<context>
    <name>Exports</name>
    <message>
        <source>Export document list</source>
        <translation>Xuất danh sách văn bản</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lô</translation>
    </message>
    <message>
        <source>Dossier code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Dossier title</source>
        <translation>Tiêu đề hồ sơ</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>STT</translation>
    </message>
    <message>
        <source>Document type</source>
        <translation>Tên loại văn bản</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Số văn bản</translation>
    </message>
    <message>
        <source>Notation</source>
        <translation>Ký hiệu</translation>
    </message>
    <message>
        <source>Date issued</source>
        <translation>Ngày ban hành</translation>
    </message>
    <message>
        <source>Issuing agency</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Trích yếu nội dung</translation>
    </message>
    <message>
        <source>Signer&apos;s position</source>
        <translation>Chức vụ người ký</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <source>Citizen IDs (masked)</source>
        <translation>Số CCCD (đã che)</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Đã kiểm tra</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>Đã xuất</translation>
    </message>
    <message>
        <source>{n} documents written to {path}.</source>
        <translation>Đã ghi {n} văn bản vào {path}.</translation>
    </message>
</context>
<context>
    <name>Gate</name>
    <message>
        <source>{unchecked} of {documents} documents are not checked; {fields} fields are empty or not valid.</source>
        <translation>{unchecked} trên {documents} văn bản chưa kiểm tra; {fields} trường còn trống hoặc không hợp lệ.</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <source>Gap</source>
        <translation>Thiếu sót</translation>
    </message>
    <message>
        <source>No. {n}</source>
        <translation>Số {n}</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Chưa kiểm tra</translation>
    </message>
    <message>
        <source>Required, empty</source>
        <translation>Bắt buộc, đang trống</translation>
    </message>
    <message>
        <source>Incomplete import: {read} of {total} pages read</source>
        <translation>Nhập chưa đủ: đọc {read}/{total} trang</translation>
    </message>
</context>
<context>
    <name>HealthTab</name>
    <message>
        <source>Check again</source>
        <translation>Kiểm tra lại</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Hạng mục</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Tesseract OCR</source>
        <translation>Tesseract OCR</translation>
    </message>
    <message>
        <source>OCR languages (Vietnamese needed)</source>
        <translation>Ngôn ngữ OCR (cần tiếng Việt)</translation>
    </message>
    <message>
        <source>Scanners</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <source>Free disk space</source>
        <translation>Dung lượng đĩa còn trống</translation>
    </message>
    <message>
        <source>Store size</source>
        <translation>Dung lượng kho</translation>
    </message>
    <message>
        <source>Last backup</source>
        <translation>Sao lưu gần nhất</translation>
    </message>
    <message>
        <source>Audit log chain</source>
        <translation>Chuỗi nhật ký thao tác</translation>
    </message>
    <message>
        <source>Enrolled with the warehouse</source>
        <translation>Đã đăng ký với kho dữ liệu</translation>
    </message>
    <message>
        <source>Warehouse reachable</source>
        <translation>Kết nối tới kho dữ liệu</translation>
    </message>
    <message>
        <source>Warehouse TLS certificate</source>
        <translation>Chứng chỉ TLS của kho dữ liệu</translation>
    </message>
    <message>
        <source>Warehouse certificate valid until</source>
        <translation>Chứng chỉ của kho dữ liệu còn hạn đến</translation>
    </message>
    <message>
        <source>Last acknowledgement</source>
        <translation>Xác nhận gần nhất của kho</translation>
    </message>
    <message>
        <source>{size} GB</source>
        <translation>{size} GB</translation>
    </message>
    <message>
        <source>{size} MB</source>
        <translation>{size} MB</translation>
    </message>
    <message>
        <source>never — make one under Warehouse and backup</source>
        <translation>chưa có — hãy sao lưu ở thẻ Kho dữ liệu và sao lưu</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>không tìm thấy</translation>
    </message>
    <message>
        <source>{rows} rows, intact</source>
        <translation>{rows} dòng, nguyên vẹn</translation>
    </message>
    <message>
        <source>station {id}</source>
        <translation>máy trạm {id}</translation>
    </message>
    <message>
        <source>not yet: the warehouse could not be reached when the site file was applied; enrol under Warehouse and backup</source>
        <translation>chưa: lúc áp dụng tệp cấu hình phường không kết nối được kho; hãy đăng ký ở thẻ Kho dữ liệu và sao lưu</translation>
    </message>
    <message>
        <source>not yet: enrol under Warehouse and backup</source>
        <translation>chưa: hãy đăng ký ở thẻ Kho dữ liệu và sao lưu</translation>
    </message>
    <message>
        <source>{when}: it ends within two weeks; IT renews it</source>
        <translation>{when}: hết hạn trong vòng hai tuần; bộ phận CNTT cần gia hạn</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <source>{when}; {n} dossiers have waited more than two days</source>
        <translation>{when}; {n} hồ sơ đã chờ hơn hai ngày</translation>
    </message>
    <message>
        <source>trusted with the site&apos;s CA file</source>
        <translation>tin cậy nhờ tệp chứng chỉ CA của phường</translation>
    </message>
    <message>
        <source>trusted by the system</source>
        <translation>tin cậy theo hệ thống</translation>
    </message>
    <message>
        <source>no TLS: this machine only (tests)</source>
        <translation>không có TLS: chỉ trong máy này (thử nghiệm)</translation>
    </message>
    <message>
        <source>not checked: the warehouse did not answer</source>
        <translation>chưa kiểm tra được: kho không trả lời</translation>
    </message>
    <message>
        <source>not trusted: {reason}</source>
        <translation>không được tin cậy: {reason}</translation>
    </message>
    <message>
        <source>{url} answers</source>
        <translation>{url} trả lời</translation>
    </message>
    <message>
        <source>no warehouse address set</source>
        <translation>chưa đặt địa chỉ kho dữ liệu</translation>
    </message>
    <message>
        <source>the site&apos;s CA file is missing on this computer</source>
        <translation>máy này thiếu tệp chứng chỉ CA của phường</translation>
    </message>
    <message>
        <source>{url} is refused: https:// only</source>
        <translation>{url} bị từ chối: chỉ dùng https://</translation>
    </message>
    <message>
        <source>{url}: its TLS certificate is not trusted</source>
        <translation>{url}: chứng chỉ TLS không được tin cậy</translation>
    </message>
    <message>
        <source>{url} sends the station elsewhere; nothing was sent</source>
        <translation>{url} chuyển máy trạm đi nơi khác; chưa gửi gì</translation>
    </message>
    <message>
        <source>{url} answered with an error ({status})</source>
        <translation>{url} trả lời lỗi ({status})</translation>
    </message>
    <message>
        <source>{url} cannot be reached</source>
        <translation>không kết nối được {url}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Document type</source>
        <translation>Tên loại văn bản</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Số văn bản</translation>
    </message>
    <message>
        <source>Notation</source>
        <translation>Ký hiệu</translation>
    </message>
    <message>
        <source>Date issued</source>
        <translation>Ngày ban hành</translation>
    </message>
    <message>
        <source>Issuing agency</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Trích yếu nội dung</translation>
    </message>
    <message>
        <source>Signer&apos;s position</source>
        <translation>Chức vụ người ký</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <source>Citizen ID numbers</source>
        <translation>Số CCCD/CMND</translation>
    </message>
    <message>
        <source>Dossier code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Paper dossier code</source>
        <translation>Mã hồ sơ giấy</translation>
    </message>
    <message>
        <source>Dossier title</source>
        <translation>Tiêu đề hồ sơ</translation>
    </message>
    <message>
        <source>Retention period</source>
        <translation>Thời hạn bảo quản</translation>
    </message>
    <message>
        <source>Access mode</source>
        <translation>Chế độ sử dụng</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Thời gian bắt đầu</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>Thời gian kết thúc</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Bắt buộc nhập.</translation>
    </message>
    <message>
        <source>Write the date as dd/mm/yyyy.</source>
        <translation>Ghi ngày theo dạng ngày/tháng/năm.</translation>
    </message>
    <message>
        <source>This date does not exist.</source>
        <translation>Ngày này không có thật.</translation>
    </message>
    <message>
        <source>This date is in the future.</source>
        <translation>Ngày này ở tương lai.</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>Thời gian kết thúc trước thời gian bắt đầu.</translation>
    </message>
    <message>
        <source>Choose a retention code from 01 to 07.</source>
        <translation>Chọn mã thời hạn bảo quản từ 01 đến 07.</translation>
    </message>
    <message>
        <source>Too long (2000 characters at most).</source>
        <translation>Quá dài (tối đa 2000 ký tự).</translation>
    </message>
    <message>
        <source>Not a document type of Decree 30/2020; check it.</source>
        <translation>Không phải tên loại văn bản theo Nghị định 30/2020; hãy kiểm tra.</translation>
    </message>
    <message>
        <source>Not a valid CCCD (12 digits) or CMND (9 digits) number.</source>
        <translation>Không phải số CCCD (12 số) hay CMND (9 số) hợp lệ.</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>Văn thư</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Giám sát</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Quản trị viên</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Đang làm</translation>
    </message>
    <message>
        <source>Awaiting review</source>
        <translation>Chờ duyệt</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Đã duyệt</translation>
    </message>
    <message>
        <source>Sent back</source>
        <translation>Bị trả lại</translation>
    </message>
    <message>
        <source>Uploading {percent}%</source>
        <translation>Đang gửi {percent}%</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Failed login</source>
        <translation>Đăng nhập sai</translation>
    </message>
    <message>
        <source>Screen locked</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Screen unlocked</source>
        <translation>Mở khóa màn hình</translation>
    </message>
    <message>
        <source>Batch created</source>
        <translation>Tạo lô</translation>
    </message>
    <message>
        <source>Batch submitted</source>
        <translation>Gửi duyệt lô</translation>
    </message>
    <message>
        <source>Batch approved</source>
        <translation>Duyệt lô</translation>
    </message>
    <message>
        <source>Batch sent back</source>
        <translation>Trả lại lô</translation>
    </message>
    <message>
        <source>Dossier created</source>
        <translation>Tạo hồ sơ</translation>
    </message>
    <message>
        <source>Empty dossier removed</source>
        <translation>Đã xóa hồ sơ rỗng</translation>
    </message>
    <message>
        <source>Dossier corrected</source>
        <translation>Sửa hồ sơ</translation>
    </message>
    <message>
        <source>Document captured</source>
        <translation>Nhập văn bản</translation>
    </message>
    <message>
        <source>Document opened</source>
        <translation>Mở văn bản</translation>
    </message>
    <message>
        <source>Document corrected</source>
        <translation>Sửa văn bản</translation>
    </message>
    <message>
        <source>Document checked</source>
        <translation>Kiểm tra văn bản</translation>
    </message>
    <message>
        <source>Document split</source>
        <translation>Tách văn bản</translation>
    </message>
    <message>
        <source>Documents merged</source>
        <translation>Gộp văn bản</translation>
    </message>
    <message>
        <source>Document exported</source>
        <translation>Xuất văn bản</translation>
    </message>
    <message>
        <source>Page rotated</source>
        <translation>Xoay trang</translation>
    </message>
    <message>
        <source>Page read again</source>
        <translation>Đọc lại trang</translation>
    </message>
    <message>
        <source>Page moved</source>
        <translation>Chuyển trang</translation>
    </message>
    <message>
        <source>Page deleted</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <source>Page restored</source>
        <translation>Khôi phục trang</translation>
    </message>
    <message>
        <source>List exported</source>
        <translation>Xuất danh sách</translation>
    </message>
    <message>
        <source>Audit log exported</source>
        <translation>Xuất nhật ký</translation>
    </message>
    <message>
        <source>User added</source>
        <translation>Thêm người dùng</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Đổi mật khẩu</translation>
    </message>
    <message>
        <source>User enabled</source>
        <translation>Mở tài khoản</translation>
    </message>
    <message>
        <source>User disabled</source>
        <translation>Khóa tài khoản</translation>
    </message>
    <message>
        <source>Site setting changed</source>
        <translation>Đổi cài đặt đơn vị</translation>
    </message>
    <message>
        <source>Backup made</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <source>Sync package rebuilt</source>
        <translation>Tạo lại gói đồng bộ</translation>
    </message>
    <message>
        <source>Upload started</source>
        <translation>Bắt đầu gửi</translation>
    </message>
    <message>
        <source>Upload completed</source>
        <translation>Gửi xong</translation>
    </message>
    <message>
        <source>Warehouse receipt</source>
        <translation>Biên nhận của kho</translation>
    </message>
    <message>
        <source>Upload restarted</source>
        <translation>Gửi lại từ đầu</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>Đồng bộ lỗi</translation>
    </message>
    <message>
        <source>Sync retried</source>
        <translation>Thử đồng bộ lại</translation>
    </message>
    <message>
        <source>Sync setting changed</source>
        <translation>Đổi cài đặt đồng bộ</translation>
    </message>
    <message>
        <source>Station enrolled</source>
        <translation>Đăng ký máy với kho</translation>
    </message>
    <message>
        <source>Queued for sync</source>
        <translation>Xếp hàng đồng bộ</translation>
    </message>
    <message>
        <source>Batch submitted with gaps</source>
        <translation>Nộp lô khi còn thiếu sót</translation>
    </message>
    <message>
        <source>Store created</source>
        <translation>Tạo kho lưu trữ</translation>
    </message>
    <message>
        <source>Store key changed</source>
        <translation>Đổi khóa kho lưu trữ</translation>
    </message>
    <message>
        <source>Store replaced</source>
        <translation>Thay kho lưu trữ</translation>
    </message>
    <message>
        <source>Store restored</source>
        <translation>Khôi phục kho lưu trữ</translation>
    </message>
    <message>
        <source>Records signed</source>
        <translation>Ký xác thực bản ghi</translation>
    </message>
    <message>
        <source>Audit log re-anchored</source>
        <translation>Neo lại nhật ký thao tác</translation>
    </message>
    <message>
        <source>Report exported</source>
        <translation>Xuất báo cáo</translation>
    </message>
    <message>
        <source>Login recorded after an outage</source>
        <translation>Ghi nhận đăng nhập sau sự cố</translation>
    </message>
    <message>
        <source>Station enrolment</source>
        <translation>Đăng ký máy trạm</translation>
    </message>
    <message>
        <source>Site file applied</source>
        <translation>Áp dụng tệp cấu hình đơn vị</translation>
    </message>
    <message>
        <source>Sync package exported</source>
        <translation>Xuất gói đồng bộ</translation>
    </message>
    <message>
        <source>Tampering detected</source>
        <translation>Phát hiện can thiệp trái phép</translation>
    </message>
    <message>
        <source>User keys changed</source>
        <translation>Đổi khóa người dùng</translation>
    </message>
    <message>
        <source>Account recovered</source>
        <translation>Khôi phục tài khoản</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lô</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Trang</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Kho lưu trữ</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Xuất</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Nhật ký khôi phục</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Đã kiểm tra</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>Góc xoay</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Đang dùng</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Số dòng</translation>
    </message>
    <message>
        <source>Merged from document</source>
        <translation>Gộp từ văn bản</translation>
    </message>
    <message>
        <source>Degrees</source>
        <translation>Độ</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Chưa kiểm tra</translation>
    </message>
    <message>
        <source>Required fields empty</source>
        <translation>Còn trường bắt buộc trống</translation>
    </message>
    <message>
        <source>Invalid values</source>
        <translation>Giá trị không hợp lệ</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Biên nhận</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Kho dữ liệu</translation>
    </message>
    <message>
        <source>Batch renamed</source>
        <translation>Đổi tên lô</translation>
    </message>
    <message>
        <source>Batch deleted</source>
        <translation>Xóa lô</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Pages reordered</source>
        <translation>Đã sắp xếp lại trang</translation>
    </message>
    <message>
        <source>Incomplete document replaced</source>
        <translation>Đã thay văn bản chưa đủ trang</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Main tools</source>
        <translation>Công cụ chính</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
    <message>
        <source>Ward dossier digitisation</source>
        <translation>Số hóa hồ sơ phường</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Sai tên người dùng hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>{user} · {role}</source>
        <translation>{user} · {role}</translation>
    </message>
    <message>
        <source>Ward dossier digitisation — {user}</source>
        <translation>Số hóa hồ sơ phường — {user}</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>A capture is running; cancel it and log out?</source>
        <translation>Đang nhập tài liệu; hủy và đăng xuất?</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>Làm việc</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Duyệt lô</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Quản trị</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>Import files…</source>
        <translation>Nhập tệp…</translation>
    </message>
    <message>
        <source>Import a folder…</source>
        <translation>Nhập thư mục…</translation>
    </message>
    <message>
        <source>Scan…</source>
        <translation>Quét…</translation>
    </message>
    <message>
        <source>Print a cover sheet…</source>
        <translation>In phiếu bìa…</translation>
    </message>
    <message>
        <source>Export document list…</source>
        <translation>Xuất danh sách văn bản…</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>&amp;Batch</source>
        <translation>&amp;Lô</translation>
    </message>
    <message>
        <source>New batch…</source>
        <translation>Lô mới…</translation>
    </message>
    <message>
        <source>Submit batch for review…</source>
        <translation>Gửi lô để duyệt…</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>&amp;Duyệt</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sửa</translation>
    </message>
    <message>
        <source>&amp;Page</source>
        <translation>T&amp;rang</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Phím tắt</translation>
    </message>
    <message>
        <source>Accept a field and go to the next</source>
        <translation>Nhận một trường và sang trường sau</translation>
    </message>
    <message>
        <source>Next / previous field</source>
        <translation>Trường sau / trường trước</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Phím</translation>
    </message>
    <message>
        <source>Import finished: the new documents are in batch {name}.</source>
        <translation>Đã nhập xong: các văn bản mới nằm trong lô {name}.</translation>
    </message>
    <message>
        <source>New batch</source>
        <translation>Lô mới</translation>
    </message>
    <message>
        <source>Batch name:</source>
        <translation>Tên lô:</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Gửi duyệt</translation>
    </message>
    <message>
        <source>Choose a batch (or a document in it) in the tree first.</source>
        <translation>Hãy chọn một lô (hoặc một văn bản trong lô) trong cây trước.</translation>
    </message>
    <message>
        <source>Submit batch {name} for review? It can no longer be changed unless the supervisor sends it back.</source>
        <translation>Gửi lô {name} để duyệt? Sau đó không sửa được nữa, trừ khi người giám sát trả lại.</translation>
    </message>
    <message>
        <source>Submit batch {name}</source>
        <translation>Nộp lô {name}</translation>
    </message>
    <message>
        <source>Submit with these gaps</source>
        <translation>Vẫn nộp với các thiếu sót này</translation>
    </message>
    <message>
        <source>Why does it go to review like this? (the supervisor reads it)</source>
        <translation>Vì sao vẫn nộp duyệt như vậy? (tổ trưởng sẽ đọc)</translation>
    </message>
    <message>
        <source>Batch {name} submitted for review.</source>
        <translation>Đã gửi lô {name} để duyệt.</translation>
    </message>
    <message>
        <source>Batch {name} approved and queued for sync.</source>
        <translation>Đã duyệt lô {name} và xếp hàng đồng bộ.</translation>
    </message>
    <message>
        <source>Batch {name} sent back to the clerk.</source>
        <translation>Đã trả lô {name} cho văn thư.</translation>
    </message>
    <message>
        <source>A capture is running; cancel it and quit?</source>
        <translation>Đang nhập tài liệu; hủy và thoát?</translation>
    </message>
    <message>
        <source>Rename batch…</source>
        <translation>Đổi tên lô…</translation>
    </message>
    <message>
        <source>Delete batch…</source>
        <translation>Xóa lô…</translation>
    </message>
    <message>
        <source>Choose a batch in the tree first.</source>
        <translation>Hãy chọn một lô trong cây trước.</translation>
    </message>
    <message>
        <source>A capture is storing documents in batch {name}; wait until it ends.</source>
        <translation>Đang nhập tài liệu vào lô {name}; hãy đợi đến khi xong.</translation>
    </message>
    <message>
        <source>Rename batch</source>
        <translation>Đổi tên lô</translation>
    </message>
    <message>
        <source>New name for batch {name}:</source>
        <translation>Tên mới của lô {name}:</translation>
    </message>
    <message>
        <source>Batch {old} is now {name}.</source>
        <translation>Lô {old} nay có tên {name}.</translation>
    </message>
    <message>
        <source>Delete batch</source>
        <translation>Xóa lô</translation>
    </message>
    <message>
        <source>Batch {name} holds {documents} documents ({pages} pages). Delete the batch and all of them? This cannot be undone.</source>
        <translation>Lô {name} có {documents} văn bản ({pages} trang). Xóa lô cùng tất cả các văn bản này? Không thể hoàn tác.</translation>
    </message>
    <message>
        <source>Delete the empty batch {name}?</source>
        <translation>Xóa lô trống {name}?</translation>
    </message>
    <message>
        <source>Batch {name} deleted.</source>
        <translation>Đã xóa lô {name}.</translation>
    </message>
</context>
<context>
    <name>PageViewer</name>
    <message>
        <source>This page image cannot be shown.</source>
        <translation>Không hiển thị được ảnh trang này.</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>Go back and complete it</source>
        <translation>Quay lại để bổ sung</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Thêm người dùng</translation>
    </message>
    <message>
        <source>User name (no spaces)</source>
        <translation>Tên đăng nhập (không dấu cách)</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Password (at least {n} characters)</source>
        <translation>Mật khẩu (ít nhất {n} ký tự)</translation>
    </message>
    <message>
        <source>The same password again</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Type a user name without spaces.</source>
        <translation>Hãy nhập tên đăng nhập không có dấu cách.</translation>
    </message>
    <message>
        <source>The password needs at least {n} characters.</source>
        <translation>Mật khẩu cần ít nhất {n} ký tự.</translation>
    </message>
    <message>
        <source>This password is too simple (one or two characters repeated).</source>
        <translation>Mật khẩu này quá đơn giản (một hoặc hai ký tự lặp lại).</translation>
    </message>
    <message>
        <source>This password is one of the first a guesser tries (common or 12345678).</source>
        <translation>Mật khẩu này nằm trong số những mật khẩu người đoán thử đầu tiên (phổ biến hoặc 12345678).</translation>
    </message>
    <message>
        <source>The password may not be the user name.</source>
        <translation>Mật khẩu không được trùng tên người dùng.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp.</translation>
    </message>
    <message>
        <source>Enrol this station</source>
        <translation>Đăng ký máy trạm</translation>
    </message>
    <message>
        <source>IT gives each station a one-time token for the city warehouse; it is used once and not kept.</source>
        <translation>Bộ phận CNTT cấp cho mỗi máy trạm một mã đăng ký dùng một lần với kho dữ liệu thành phố; mã chỉ dùng một lần và không được lưu lại.</translation>
    </message>
    <message>
        <source>Warehouse address</source>
        <translation>Địa chỉ kho dữ liệu</translation>
    </message>
    <message>
        <source>One-time token</source>
        <translation>Mã đăng ký dùng một lần</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>Đăng ký</translation>
    </message>
    <message>
        <source>The address starts with https:// (http:// only for this machine).</source>
        <translation>Địa chỉ bắt đầu bằng https:// (http:// chỉ dùng trong máy này).</translation>
    </message>
    <message>
        <source>Type the token IT gave you.</source>
        <translation>Hãy nhập mã đăng ký bộ phận CNTT đã cấp.</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>No batch is waiting for review.</source>
        <translation>Không có lô nào đang chờ duyệt.</translation>
    </message>
    <message>
        <source>Approve batch</source>
        <translation>Duyệt lô</translation>
    </message>
    <message>
        <source>Send back to the clerk…</source>
        <translation>Trả lại cho văn thư…</translation>
    </message>
    <message>
        <source>Open in the work screen</source>
        <translation>Mở ở màn hình làm việc</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Batches waiting for review</source>
        <translation>Các lô chờ duyệt</translation>
    </message>
    <message>
        <source>Approving a batch queues its dossiers for sending to the city warehouse; sending back returns it to the clerk with your reason.</source>
        <translation>Duyệt một lô sẽ xếp các hồ sơ của lô vào hàng chờ gửi lên kho dữ liệu thành phố; trả lại sẽ chuyển lô về văn thư kèm lý do của bạn.</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lô</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>Văn thư</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Ngày gửi</translation>
    </message>
    <message>
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Đã kiểm tra</translation>
    </message>
    <message>
        <source>With gaps</source>
        <translation>Có thiếu sót</translation>
    </message>
    <message>
        <source>Tinted fields left</source>
        <translation>Trường tô màu còn lại</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Submitted with gaps; the clerk says: {reason}</source>
        <translation>Nộp khi còn thiếu sót; văn thư ghi: {reason}</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <source>Approve batch {name} ({documents} documents) and queue it for sync?</source>
        <translation>Duyệt lô {name} ({documents} văn bản) và xếp hàng đồng bộ?</translation>
    </message>
    <message>
        <source>Approve batch {name}</source>
        <translation>Duyệt lô {name}</translation>
    </message>
    <message>
        <source>Approve with these gaps</source>
        <translation>Vẫn duyệt với các thiếu sót này</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>Trả lại</translation>
    </message>
    <message>
        <source>Why is batch {name} sent back? The clerk will see this.</source>
        <translation>Vì sao trả lại lô {name}? Văn thư sẽ thấy lý do này.</translation>
    </message>
    <message>
        <source>Nothing was sent back: write the reason the clerk will read.</source>
        <translation>Chưa trả lại: hãy ghi lý do để văn thư đọc.</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <source>Search documents (Ctrl+F)…</source>
        <translation>Tìm văn bản (Ctrl+F)…</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>Không tìm thấy gì.</translation>
    </message>
</context>
<context>
    <name>SiteTab</name>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>These settings name the ward and its link to the city warehouse; every change is audited.</source>
        <translation>Các cài đặt này xác định phường và kết nối tới kho dữ liệu thành phố; mọi thay đổi đều được ghi nhật ký.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation>Tệp chứng chỉ CA</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation>Chứng chỉ (*.pem *.crt);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Site settings</source>
        <translation>Cài đặt đơn vị</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
</context>
<context>
    <name>SyncErrors</name>
    <message>
        <source>The warehouse could not be reached ({kind}).</source>
        <translation>Không kết nối được kho dữ liệu ({kind}).</translation>
    </message>
    <message>
        <source>The warehouse answered with an error {status}: {message}</source>
        <translation>Kho dữ liệu trả lời lỗi {status}: {message}</translation>
    </message>
    <message>
        <source>TLS with the warehouse failed ({reason}); IT checks its certificate.</source>
        <translation>Kết nối TLS tới kho dữ liệu thất bại ({reason}); bộ phận CNTT kiểm tra chứng chỉ.</translation>
    </message>
    <message>
        <source>The warehouse&apos;s receipt was not valid; the dossier is sent again.</source>
        <translation>Biên nhận của kho dữ liệu không hợp lệ; hồ sơ sẽ được gửi lại.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Export document list…</source>
        <translation>Xuất danh sách văn bản…</translation>
    </message>
    <message>
        <source>A CSV list of documents; citizen IDs are masked</source>
        <translation>Danh sách văn bản dạng CSV; số CCCD được che</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>Gửi lại phần lỗi</translation>
    </message>
    <message>
        <source>Send the failed dossiers again now</source>
        <translation>Gửi lại ngay các hồ sơ bị lỗi</translation>
    </message>
    <message>
        <source>Pause sending</source>
        <translation>Tạm dừng gửi</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Gửi ngay</translation>
    </message>
    <message>
        <source>Send the approved batches to the warehouse now</source>
        <translation>Gửi ngay các lô đã duyệt lên kho dữ liệu</translation>
    </message>
    <message>
        <source>Work per clerk per day</source>
        <translation>Khối lượng theo văn thư và ngày</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>{n} dossiers will be sent again.</source>
        <translation>{n} hồ sơ sẽ được gửi lại.</translation>
    </message>
    <message>
        <source>Sending paused.</source>
        <translation>Đã tạm dừng gửi.</translation>
    </message>
    <message>
        <source>Sending resumed.</source>
        <translation>Đã tiếp tục gửi.</translation>
    </message>
    <message>
        <source>Resume sending</source>
        <translation>Tiếp tục gửi</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lô</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>Văn thư</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Duyệt lô</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Reviewed by</source>
        <translation>Người duyệt</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Biên nhận</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Lỗi gần nhất</translation>
    </message>
    <message>
        <source>Next try</source>
        <translation>Thử lại lúc</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Đã kiểm tra</translation>
    </message>
    <message>
        <source>Fields corrected</source>
        <translation>Trường đã sửa</translation>
    </message>
    <message>
        <source>Sync is paused.</source>
        <translation>Đang tạm dừng đồng bộ.</translation>
    </message>
    <message>
        <source>Approved batches wait here, safely encrypted.</source>
        <translation>Các lô đã duyệt được giữ tại đây, đã mã hóa an toàn.</translation>
    </message>
    <message>
        <source>This station is not enrolled yet: the warehouse {url} could not be reached when the site file was applied. An admin enrols it under Administration → Warehouse and backup.</source>
        <translation>Máy trạm này chưa đăng ký: lúc áp dụng tệp cấu hình phường không kết nối được kho {url}. Quản trị viên đăng ký ở Quản trị → Kho dữ liệu và sao lưu.</translation>
    </message>
    <message>
        <source>This station is not enrolled with the city warehouse yet; an admin enrols it under Administration → Warehouse and backup.</source>
        <translation>Máy trạm này chưa đăng ký với kho dữ liệu thành phố; quản trị viên đăng ký ở Quản trị → Kho dữ liệu và sao lưu.</translation>
    </message>
    <message>
        <source>Warehouse: {url} (checking the link…).</source>
        <translation>Kho dữ liệu: {url} (đang kiểm tra kết nối…).</translation>
    </message>
    <message>
        <source>Warehouse: {url} — reachable.</source>
        <translation>Kho dữ liệu: {url} — kết nối được.</translation>
    </message>
    <message>
        <source>Warehouse: {url} — its TLS certificate is not trusted ({reason}); IT checks it or sets the site&apos;s CA file.</source>
        <translation>Kho dữ liệu: {url} — chứng chỉ TLS không được tin cậy ({reason}); bộ phận CNTT kiểm tra hoặc đặt tệp chứng chỉ CA của phường.</translation>
    </message>
    <message>
        <source>Warehouse: {url} — cannot be reached now; sending resumes when it answers.</source>
        <translation>Kho dữ liệu: {url} — hiện không kết nối được; việc gửi sẽ tiếp tục khi kho trả lời.</translation>
    </message>
    <message>
        <source>An admin enrols this station first.</source>
        <translation>Quản trị viên cần đăng ký máy trạm này trước.</translation>
    </message>
    <message>
        <source>Sending is paused; resume it first.</source>
        <translation>Đang tạm dừng gửi; hãy tiếp tục gửi trước.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Đang gửi…</translation>
    </message>
    <message>
        <source>Sending… {n} dossiers sent</source>
        <translation>Đang gửi… đã gửi {n} hồ sơ</translation>
    </message>
    <message>
        <source>The warehouse cannot be reached; nothing is lost: the batches wait here and are sent at the next try.</source>
        <translation>Không kết nối được kho dữ liệu; không mất gì: các lô được giữ tại đây và sẽ gửi ở lần thử sau.</translation>
    </message>
    <message>
        <source>Sending is paused; nothing was sent.</source>
        <translation>Đang tạm dừng gửi; chưa gửi gì.</translation>
    </message>
    <message>
        <source>{sent} dossiers sent and acknowledged, {failed} failed.</source>
        <translation>{sent} hồ sơ đã gửi và được kho xác nhận, {failed} hồ sơ lỗi.</translation>
    </message>
    <message>
        <source>The warehouse holds a newer audit record of this station than this store: tell IT at once.</source>
        <translation>Kho dữ liệu giữ bản ghi nhật ký của máy trạm này mới hơn dữ liệu trong máy: hãy báo ngay bộ phận CNTT.</translation>
    </message>
    <message>
        <source> Last receipt: {when}.</source>
        <translation> Biên nhận gần nhất: {when}.</translation>
    </message>
    <message>
        <source> Next retry: {when}.</source>
        <translation> Thử lại lúc: {when}.</translation>
    </message>
    <message>
        <source> Waiting {w}, uploading {u}, sent {c}, acknowledged {a}, failed {f}.</source>
        <translation> Chờ gửi {w}, đang gửi {u}, đã gửi {c}, đã xác nhận {a}, lỗi {f}.</translation>
    </message>
</context>
<context>
    <name>ThumbnailStrip</name>
    <message>
        <source>Page {n}</source>
        <translation>Trang {n}</translation>
    </message>
    <message>
        <source>Page {n} (deleted)</source>
        <translation>Trang {n} (đã xóa)</translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>user name</source>
        <translation>tên người dùng</translation>
    </message>
    <message>
        <source>password</source>
        <translation>mật khẩu</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Store: {path}</source>
        <translation>Kho: {path}</translation>
    </message>
    <message>
        <source>Ward dossier digitisation</source>
        <translation>Số hóa hồ sơ phường</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>The screen was locked. Enter your password to go on, or log in as another user.</source>
        <translation>Màn hình đã khóa. Nhập mật khẩu để tiếp tục, hoặc đăng nhập bằng người dùng khác.</translation>
    </message>
    <message>
        <source>Log in with your user name and password.</source>
        <translation>Đăng nhập bằng tên người dùng và mật khẩu.</translation>
    </message>
    <message>
        <source>Opening the store…</source>
        <translation>Đang mở kho…</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Hãy nhập tên người dùng và mật khẩu.</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Add user…</source>
        <translation>Thêm người dùng…</translation>
    </message>
    <message>
        <source>Enable / disable</source>
        <translation>Mở / khóa tài khoản</translation>
    </message>
    <message>
        <source>Set password…</source>
        <translation>Đặt mật khẩu…</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Hoạt động</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Ngày tạo</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Password for {name} (at least 8 characters):</source>
        <translation>Mật khẩu cho {name} (ít nhất 8 ký tự):</translation>
    </message>
    <message>
        <source>The same password again:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp.</translation>
    </message>
    <message>
        <source>The password of {name} was changed.</source>
        <translation>Đã đổi mật khẩu của {name}.</translation>
    </message>
    <message>
        <source>Re-key pending</source>
        <translation>Chưa đổi được khóa</translation>
    </message>
    <message>
        <source>The store could not be re-keyed now: another sohoa program has it open. It is re-keyed at the next login that finds it free; until then an old copy of the key file with the old password still opens it.</source>
        <translation>Chưa đổi được khóa mã hóa kho dữ liệu lúc này: một chương trình sohoa khác đang mở kho. Khóa sẽ được đổi ở lần đăng nhập tới khi kho không còn ai mở; cho đến lúc đó, bản sao cũ của tệp khóa cùng mật khẩu cũ vẫn mở được kho.</translation>
    </message>
</context>
<context>
    <name>WarehouseTab</name>
    <message>
        <source>Enrol this station…</source>
        <translation>Đăng ký máy trạm…</translation>
    </message>
    <message>
        <source>Make a backup…</source>
        <translation>Sao lưu…</translation>
    </message>
    <message>
        <source>City warehouse</source>
        <translation>Kho dữ liệu thành phố</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <source>An encrypted copy of the whole store (any user&apos;s password of today opens it); keep it on a drive that leaves the office.</source>
        <translation>Một bản sao đã mã hóa của toàn bộ dữ liệu (mở được bằng mật khẩu hiện nay của bất kỳ người dùng nào); hãy lưu trên ổ đĩa được mang ra khỏi cơ quan.</translation>
    </message>
    <message>
        <source>Enrolled as station {id} with {url}.</source>
        <translation>Đã đăng ký là máy trạm {id} với {url}.</translation>
    </message>
    <message>
        <source>Not enrolled yet: the warehouse {url} could not be reached when the site file was applied. Enrol with the token IT gave you.</source>
        <translation>Chưa đăng ký: lúc áp dụng tệp cấu hình phường không kết nối được kho {url}. Hãy đăng ký bằng mã bộ phận CNTT đã cấp.</translation>
    </message>
    <message>
        <source>Not enrolled yet: approved batches wait on this station until it is. Enrol with the warehouse address and the token IT gave you.</source>
        <translation>Chưa đăng ký: các lô đã duyệt được giữ tại máy này cho đến khi đăng ký. Hãy đăng ký bằng địa chỉ kho dữ liệu và mã bộ phận CNTT đã cấp.</translation>
    </message>
    <message>
        <source>Enrol again…</source>
        <translation>Đăng ký lại…</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>Kho dữ liệu</translation>
    </message>
    <message>
        <source>This station is enrolled; approved batches can now be sent.</source>
        <translation>Máy trạm đã đăng ký; giờ có thể gửi các lô đã duyệt.</translation>
    </message>
    <message>
        <source>The warehouse refused this token: it is unknown, used or expired. Ask IT for a new one.</source>
        <translation>Kho dữ liệu từ chối mã này: mã không đúng, đã dùng hoặc đã hết hạn. Hãy xin bộ phận CNTT mã mới.</translation>
    </message>
    <message>
        <source>Enrolling with {url}…</source>
        <translation>Đang đăng ký với {url}…</translation>
    </message>
    <message>
        <source>Folder for the backup</source>
        <translation>Thư mục lưu bản sao lưu</translation>
    </message>
    <message>
        <source>Backup written: {path} ({size} MB, {n} documents).</source>
        <translation>Đã ghi bản sao lưu: {path} ({size} MB, {n} văn bản).</translation>
    </message>
    <message>
        <source>Making the backup {name}…</source>
        <translation>Đang sao lưu {name}…</translation>
    </message>
</context>
<context>
    <name>WorkPage</name>
    <message>
        <source>Previous page</source>
        <translation>Trang trước</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Trang sau</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>Vừa chiều rộng</translation>
    </message>
    <message>
        <source>Fit page</source>
        <translation>Vừa trang</translation>
    </message>
    <message>
        <source>Actual size (100 %)</source>
        <translation>Cỡ thật (100 %)</translation>
    </message>
    <message>
        <source>Scroll the page up</source>
        <translation>Cuộn trang lên</translation>
    </message>
    <message>
        <source>Scroll the page down</source>
        <translation>Cuộn trang xuống</translation>
    </message>
    <message>
        <source>Scroll the page left</source>
        <translation>Cuộn trang sang trái</translation>
    </message>
    <message>
        <source>Scroll the page right</source>
        <translation>Cuộn trang sang phải</translation>
    </message>
    <message>
        <source>Rotate left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <source>Rotate right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <source>Read page again</source>
        <translation>Đọc lại trang</translation>
    </message>
    <message>
        <source>OCR this page again (done after each turn)</source>
        <translation>Nhận dạng lại chữ trên trang này (tự động sau mỗi lần xoay)</translation>
    </message>
    <message>
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <source>Restore page</source>
        <translation>Khôi phục trang</translation>
    </message>
    <message>
        <source>Move page earlier</source>
        <translation>Chuyển trang lên trước</translation>
    </message>
    <message>
        <source>Move page later</source>
        <translation>Chuyển trang ra sau</translation>
    </message>
    <message>
        <source>Split document here</source>
        <translation>Tách văn bản tại đây</translation>
    </message>
    <message>
        <source>Start a new document at this page</source>
        <translation>Bắt đầu văn bản mới từ trang này</translation>
    </message>
    <message>
        <source>Merge with next document</source>
        <translation>Gộp với văn bản sau</translation>
    </message>
    <message>
        <source>Mark checked and open next</source>
        <translation>Đánh dấu đã kiểm tra, mở văn bản sau</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <source>Show or hide the batches</source>
        <translation>Hiện hoặc ẩn danh sách lô</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Vừa mở</translation>
    </message>
    <message>
        <source>Changes to this document; click one to go back to it</source>
        <translation>Các thay đổi của văn bản này; bấm vào một dòng để quay lại đó</translation>
    </message>
    <message>
        <source>Value not saved</source>
        <translation>Giá trị chưa được lưu</translation>
    </message>
    <message>
        <source>These values are not valid and were not saved: {fields}. Leave this document and lose them?</source>
        <translation>Các giá trị này không hợp lệ và chưa được lưu: {fields}. Rời văn bản này và bỏ chúng?</translation>
    </message>
    <message>
        <source>This document has no pages.</source>
        <translation>Văn bản này không có trang nào.</translation>
    </message>
    <message>
        <source>Read only: batch {name} is “{state}”.</source>
        <translation>Chỉ xem: {name} đang “{state}”.</translation>
    </message>
    <message>
        <source>Read only: batch {name} belongs to {owner}.</source>
        <translation>Chỉ xem: {name} thuộc về {owner}.</translation>
    </message>
    <message>
        <source> (deleted)</source>
        <translation> (đã xóa)</translation>
    </message>
    <message>
        <source>Page {n} of {total}{state} · {doubtful} doubtful words tinted</source>
        <translation>Trang {n}/{total}{state} · {doubtful} từ cần kiểm tra được tô màu</translation>
    </message>
    <message>
        <source>Change {field}</source>
        <translation>Sửa {field}</translation>
    </message>
    <message>
        <source>Dossier code now {code}, in the year of the date.</source>
        <translation>Mã hồ sơ nay là {code}, theo năm của ngày văn bản.</translation>
    </message>
    <message>
        <source>Change citizen IDs</source>
        <translation>Sửa số CCCD</translation>
    </message>
    <message>
        <source>Rotate page</source>
        <translation>Xoay trang</translation>
    </message>
    <message>
        <source>Reading the page again…</source>
        <translation>Đang đọc lại trang…</translation>
    </message>
    <message>
        <source>Move page</source>
        <translation>Chuyển trang</translation>
    </message>
    <message>
        <source>Split document</source>
        <translation>Tách văn bản</translation>
    </message>
    <message>
        <source>This is the last document of its dossier.</source>
        <translation>Đây là văn bản cuối cùng của hồ sơ.</translation>
    </message>
    <message>
        <source>Merge documents</source>
        <translation>Gộp văn bản</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Chưa kiểm tra</translation>
    </message>
    <message>
        <source>Correct the fields marked in red first.</source>
        <translation>Hãy sửa các trường tô đỏ trước.</translation>
    </message>
    <message>
        <source>Required fields empty</source>
        <translation>Còn trường bắt buộc trống</translation>
    </message>
    <message>
        <source>Required fields are empty: {fields}. Mark the document checked anyway?</source>
        <translation>Các trường bắt buộc còn trống: {fields}. Vẫn đánh dấu văn bản đã kiểm tra?</translation>
    </message>
    <message>
        <source>All checked</source>
        <translation>Đã kiểm tra hết</translation>
    </message>
    <message>
        <source>Every document of this batch is checked; you can submit it for review.</source>
        <translation>Mọi văn bản của lô đã được kiểm tra; có thể gửi lô để duyệt.</translation>
    </message>
    <message>
        <source>Mark checked</source>
        <translation>Đánh dấu đã kiểm tra</translation>
    </message>
    <message>
        <source>Rotate {n} pages</source>
        <translation>Xoay {n} trang</translation>
    </message>
    <message>
        <source>Delete {n} pages</source>
        <translation>Xóa {n} trang</translation>
    </message>
    <message>
        <source>Restore {n} pages</source>
        <translation>Khôi phục {n} trang</translation>
    </message>
    <message>
        <source>Move {n} pages</source>
        <translation>Chuyển {n} trang</translation>
    </message>
</context>
</TS>
