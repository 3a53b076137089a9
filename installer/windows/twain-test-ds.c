/* A TWAIN 1.x data source for the Wine TWAIN test (installer/windows/wine-twain.sh) only.
 *
 * Why: Wine's TWAIN DSM (twain_32.dll) looks for exactly two sources, sane.ds (its bridge
 * to SANE) and gphoto2.ds; Debian's Wine 10 is built without SANE, so its sane.ds is only
 * a placeholder and a TWAIN scan cannot reach SANE's `test` backend. This file stands in
 * for it, under the same name, in the test prefix only (never shipped): a virtual scanner
 * with a flatbed, a 4-sheet feeder, duplex, 150/200/300/600 dpi and colour, grey and
 * black-and-white, that draws each page from a formula the test recomputes
 * (page_byte below and expected() in twain_check.py must agree), or, when the variable
 * SOHOA_TWAIN_PPM names a binary PPM (P6), serves that picture as every page: the smoke test
 * of wine-build.sh scans a real document through the installed sohoa.exe that way.
 * SOHOA_TWAIN_SHEETS sets how many sheets the feeder holds (default 4).
 *
 * It behaves as a TWAIN 1.x source does on Windows: capability containers it returns are
 * GlobalAlloc'd (the application frees them), MSG_XFERREADY goes to the DSM through
 * DAT_NULL, pages leave by memory transfer in strips of 16 rows padded to 4 bytes.
 *
 *   x86_64-w64-mingw32-gcc -O2 -shared -o sane.ds twain-test-ds.c -Wl,--kill-at
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma pack(push, 2)
typedef struct { WORD MajorNum, MinorNum, Language, Country; char Info[34]; } TW_VERSION;
typedef struct {
    DWORD Id; TW_VERSION Version; WORD ProtocolMajor, ProtocolMinor; DWORD SupportedGroups;
    char Manufacturer[34], ProductFamily[34], ProductName[34];
} TW_IDENTITY;
typedef struct { WORD Cap, ConType; HANDLE hContainer; } TW_CAPABILITY;
typedef struct { WORD ItemType; DWORD Item; } TW_ONEVALUE;
typedef struct { WORD ItemType; DWORD NumItems, CurrentIndex, DefaultIndex; DWORD Items[4]; }
    TW_ENUM4;
typedef struct { SHORT Whole; WORD Frac; } TW_FIX32;
typedef struct {
    TW_FIX32 XResolution, YResolution; LONG ImageWidth, ImageLength;
    SHORT SamplesPerPixel, BitsPerSample[8], BitsPerPixel; WORD Planar; SHORT PixelType;
    WORD Compression;
} TW_IMAGEINFO;
typedef struct { DWORD Flags, Length; void *TheMem; } TW_MEMORY;
typedef struct {
    WORD Compression; DWORD BytesPerRow, Columns, Rows, XOffset, YOffset, BytesWritten;
    TW_MEMORY Memory;
} TW_IMAGEMEMXFER;
typedef struct { DWORD MinBufSize, MaxBufSize, Preferred; } TW_SETUPMEMXFER;
typedef struct { WORD Count; DWORD EOJ; } TW_PENDINGXFERS;
typedef struct { WORD ConditionCode, Data; } TW_STATUS;
typedef struct { void *pEvent; WORD TWMessage; } TW_EVENT;
#pragma pack(pop)

typedef WORD (WINAPI *DSMENTRY)(TW_IDENTITY *, TW_IDENTITY *, DWORD, WORD, WORD, void *);

#define STRIP 16

static int WIDTH = 250, HEIGHT = 180, SHEETS = 4;
static BYTE *ppm; /* the picture of SOHOA_TWAIN_PPM, RGB rows, or NULL: the formula */

static TW_IDENTITY me, app;
static WORD condition, pixel_type = 2, xres = 300, feeder, duplex;
static int page, row, pages_total = 1;

static WORD fail(WORD cc) { condition = cc; return 1; /* TWRC_FAILURE */ }

static int bits(void) { return pixel_type == 2 ? 24 : pixel_type == 1 ? 8 : 1; }
static DWORD stride(void) { return (WIDTH * bits() + 7) / 8; }
static DWORD padded(void) { return (stride() + 3) & ~3u; }

static int grey_at(int x, int y)
{
    const BYTE *p = ppm + ((SIZE_T)y * WIDTH + (x < WIDTH ? x : WIDTH - 1)) * 3;
    return (p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000;
}

static BYTE picture_byte(int bx, int y)
{
    int i, byte = 0;
    if (pixel_type == 2) return ppm[(SIZE_T)y * WIDTH * 3 + bx];
    if (pixel_type == 1) return (BYTE)grey_at(bx, y);
    for (i = 0; i < 8; i++) /* chocolate: a 0 bit is black */
        byte = (byte << 1) | (grey_at(bx * 8 + i, y) >= 128);
    return (BYTE)byte;
}

/* The page's byte at (byte column bx, row y): the formula twain_check.py checks. */
static BYTE page_byte(int bx, int y)
{
    if (ppm) return picture_byte(bx, y);
    if (pixel_type == 2) {
        int x = bx / 3, c = bx % 3;
        return (BYTE)(c == 0 ? x + 37 * page : c == 1 ? 2 * y + xres / 10 : (x ^ y) + page);
    }
    if (pixel_type == 1) return (BYTE)(bx + y + 50 * page);
    return (BYTE)(((bx + y / 8 + page) & 1) ? 0xF0 : 0x0F);
}

/* SOHOA_TWAIN_PPM: a binary PPM ("P6 w h 255" then RGB rows) served as every page. */
static void load_picture(void)
{
    char path[MAX_PATH], sheets[16];
    HANDLE f;
    DWORD size, got;
    char *data;
    int w, h, max, n = 0;
    if (GetEnvironmentVariableA("SOHOA_TWAIN_SHEETS", sheets, sizeof sheets))
        SHEETS = atoi(sheets) > 0 ? atoi(sheets) : SHEETS;
    if (ppm || !GetEnvironmentVariableA("SOHOA_TWAIN_PPM", path, sizeof path)) return;
    f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE) return;
    size = GetFileSize(f, NULL);
    data = HeapAlloc(GetProcessHeap(), 0, size + 1);
    if (data && ReadFile(f, data, size, &got, NULL) && got == size) {
        data[size] = 0;
        if (sscanf(data, "P6 %d %d %d%n", &w, &h, &max, &n) == 3 && max == 255 &&
            (DWORD)(n + 1 + w * h * 3) <= size) {
            ppm = (BYTE *)data + n + 1;
            WIDTH = w; HEIGHT = h;
        }
    }
    CloseHandle(f);
}

static WORD on_identity(WORD msg, TW_IDENTITY *id, TW_IDENTITY *origin)
{
    if (msg == 1) { /* MSG_GET: who we are */
        DWORD keep = id->Id;
        memset(id, 0, sizeof *id);
        id->Id = keep;
        id->Version.MajorNum = 1;
        strcpy(id->Version.Info, "sohoa Wine test");
        id->ProtocolMajor = 1; id->ProtocolMinor = 9;
        id->SupportedGroups = 0x1 | 0x2; /* DG_CONTROL | DG_IMAGE */
        strcpy(id->Manufacturer, "sohoa");
        strcpy(id->ProductFamily, "Wine test");
        strcpy(id->ProductName, "sohoa test scanner");
        return 0;
    }
    if (msg == 0x401) { /* MSG_OPENDS */
        me = *id; app = *origin; page = row = 0;
        load_picture();
        return 0;
    }
    if (msg == 0x402) return 0;                                              /* MSG_CLOSEDS */
    return fail(9);
}

static HANDLE container(const void *data, SIZE_T size)
{
    HANDLE h = GlobalAlloc(GHND, size);
    memcpy(GlobalLock(h), data, size);
    GlobalUnlock(h);
    return h;
}

static WORD on_capability(WORD msg, TW_CAPABILITY *cap)
{
    if (msg == 6) { /* MSG_SET */
        TW_ONEVALUE *one = GlobalLock(cap->hContainer);
        DWORD value = one->Item;
        GlobalUnlock(cap->hContainer);
        switch (cap->Cap) {
        case 0x1118: case 0x1119: /* ICAP_X/YRESOLUTION */
            if ((value & 0xFFFF) != 150 && (value & 0xFFFF) != 200 && (value & 0xFFFF) != 300
                && (value & 0xFFFF) != 600)
                return fail(10);
            xres = (WORD)(value & 0xFFFF);
            return 0;
        case 0x0101: if (value > 2) return fail(10); pixel_type = (WORD)value; return 0;
        case 0x0103: return value == 2 ? 0 : fail(10); /* ICAP_XFERMECH: memory only */
        case 0x1002: feeder = (WORD)value; return 0;
        case 0x1013: duplex = (WORD)value; return 0;
        default: return 0;
        }
    }
    if (cap->Cap == 0x1118 && msg == 1) { /* the resolutions offered */
        TW_ENUM4 e = {7, 4, 2, 2, {150, 200, 300, 600}};
        cap->ConType = 4;
        cap->hContainer = container(&e, sizeof e);
        return 0;
    }
    if (cap->Cap == 0x1118 || cap->Cap == 0x1003 || cap->Cap == 0x111F) {
        TW_ONEVALUE one = {cap->Cap == 0x1118 ? 7 : cap->Cap == 0x1003 ? 6 : 4,
                           cap->Cap == 0x1118 ? xres : cap->Cap == 0x1003 ? 1 : 0};
        cap->ConType = 5;
        cap->hContainer = container(&one, sizeof one);
        return 0;
    }
    return fail(13); /* TWCC_CAPUNSUPPORTED */
}

static WORD on_memxfer(TW_IMAGEMEMXFER *x)
{
    DWORD rows = HEIGHT - row < STRIP ? HEIGHT - row : STRIP, r, b;
    BYTE *out = x->Memory.TheMem;
    if (x->Memory.Length < rows * padded()) return fail(10);
    for (r = 0; r < rows; r++)
        for (b = 0; b < padded(); b++)
            out[r * padded() + b] = b < stride() ? page_byte((int)b, row + (int)r) : 0xEE;
    x->Compression = 0; x->BytesPerRow = padded(); x->Columns = WIDTH; x->Rows = rows;
    x->XOffset = 0; x->YOffset = row; x->BytesWritten = rows * padded();
    row += rows;
    return row >= HEIGHT ? 6 : 0; /* TWRC_XFERDONE */
}

static WORD on_image(WORD dat, void *data)
{
    if (dat == 0x0101) { /* DAT_IMAGEINFO */
        TW_IMAGEINFO *info = data;
        memset(info, 0, sizeof *info);
        info->XResolution.Whole = info->YResolution.Whole = xres;
        info->ImageWidth = WIDTH; info->ImageLength = HEIGHT;
        info->SamplesPerPixel = pixel_type == 2 ? 3 : 1;
        info->BitsPerPixel = bits(); info->PixelType = pixel_type;
        return 0;
    }
    if (dat == 0x0103) return on_memxfer(data);
    return fail(9);
}

static WORD on_control(WORD dat, WORD msg, void *data, TW_IDENTITY *origin)
{
    switch (dat) {
    case 0x0003: return on_identity(msg, data, origin);
    case 0x0001: return on_capability(msg, data);
    case 0x0008: ((TW_STATUS *)data)->ConditionCode = condition; condition = 0; return 0;
    case 0x0002: ((TW_EVENT *)data)->TWMessage = 0; return 5; /* TWRC_NOTDSEVENT */
    case 0x0006: {
        TW_SETUPMEMXFER *s = data;
        s->MinBufSize = padded(); s->Preferred = padded() * STRIP; s->MaxBufSize = padded() * 64;
        return 0;
    }
    case 0x0005: { /* DAT_PENDINGXFERS */
        TW_PENDINGXFERS *p = data;
        if (msg == 0x701) { page++; row = 0; p->Count = (WORD)(pages_total - page); }
        else p->Count = 0, page = pages_total;
        return 0;
    }
    case 0x0009: /* DAT_USERINTERFACE */
        if (msg == 0x502) { /* MSG_ENABLEDS: a page is ready at once */
            DSMENTRY dsm = (DSMENTRY)GetProcAddress(GetModuleHandleA("twain_32.dll"),
                                                    "DSM_Entry");
            page = row = 0;
            pages_total = feeder ? SHEETS * (duplex ? 2 : 1) : 1;
            if (!dsm) return fail(1);
            dsm(&me, &app, 1, 0x0000, 0x101, NULL); /* DAT_NULL / MSG_XFERREADY */
        }
        return 0;
    }
    return fail(9);
}

__declspec(dllexport) WORD WINAPI DS_Entry(TW_IDENTITY *origin, DWORD dg, WORD dat, WORD msg,
                                           void *data)
{
    if (dg == 1) return on_control(dat, msg, data, origin);
    if (dg == 2) return on_image(dat, data);
    return fail(9);
}
