package extract

/*
#cgo LDFLAGS: -llept -ltesseract -ltiff
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>
#include <tiffio.h>

// A TIFF in memory, for libtiff's client I/O.
typedef struct { const unsigned char *data; toff_t size, pos; } rx_mem;

static tmsize_t rx_tread(thandle_t h, void *buf, tmsize_t n) {
	rx_mem *m = (rx_mem *)h;
	if (m->pos >= m->size) return 0;
	if ((toff_t)n > m->size - m->pos) n = (tmsize_t)(m->size - m->pos);
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return n;
}
static tmsize_t rx_twrite(thandle_t h, void *buf, tmsize_t n) { return -1; }
static toff_t rx_tseek(thandle_t h, toff_t off, int whence) {
	rx_mem *m = (rx_mem *)h;
	toff_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->size;
	m->pos = base + off;
	return m->pos;
}
static int rx_tclose(thandle_t h) { return 0; }
static toff_t rx_tsize(thandle_t h) { return ((rx_mem *)h)->size; }
static int rx_tmap(thandle_t h, void **base, toff_t *size) { return 0; }
static void rx_tunmap(thandle_t h, void *base, toff_t size) {}

// The last error libtiff reported: a worker reads one page at a time.
static char rx_tiff_err[256];

static void rx_tiff_error(const char *module, const char *fmt, va_list ap) {
	vsnprintf(rx_tiff_err, sizeof rx_tiff_err, fmt, ap);
}

static void rx_tiff_warning(const char *module, const char *fmt, va_list ap) {
	if (!rx_tiff_err[0]) vsnprintf(rx_tiff_err, sizeof rx_tiff_err, fmt, ap);
}

static void rx_quiet_tiff(void) {
	TIFFSetWarningHandler(rx_tiff_warning);
	TIFFSetErrorHandler(rx_tiff_error);
}

// rx_read_rgba reads a TIFF page through libtiff's RGBA interface, which
// handles what Leptonica's reader refuses (old-style JPEG, subsampled
// YCbCr). The caller has checked the page's size.
static PIX *rx_read_rgba(const l_uint8 *data, size_t size, int page) {
	rx_mem m = {data, size, 0};
	rx_quiet_tiff();
	TIFF *tif = TIFFClientOpen("page", "rm", (thandle_t)&m, rx_tread, rx_twrite, rx_tseek, rx_tclose, rx_tsize, rx_tmap, rx_tunmap);
	if (!tif) return NULL;
	PIX *pix = NULL;
	uint32_t w = 0, h = 0;
	float xres = 0, yres = 0;
	if (TIFFSetDirectory(tif, page) && TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) && TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) && w > 0 && h > 0) {
		pix = pixCreate(w, h, 32);
		if (pix && !TIFFReadRGBAImageOriented(tif, w, h, (uint32_t *)pixGetData(pix), ORIENTATION_TOPLEFT, 1)) {
			pixDestroy(&pix);
		}
		if (pix) {
			// RGBA is ABGR in memory on little-endian; Leptonica wants RGBA words.
			l_uint32 *d = pixGetData(pix);
			for (size_t i = 0; i < (size_t)w * h; i++) {
				l_uint32 v = d[i];
				d[i] = (TIFFGetR(v) << 24) | (TIFFGetG(v) << 16) | (TIFFGetB(v) << 8) | 0xff;
			}
			TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres);
			TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yres);
			pixSetResolution(pix, (l_int32)(xres + 0.5), (l_int32)(yres + 0.5));
		}
	}
	TIFFClose(tif);
	return pix;
}

static PIX *rx_read(const l_uint8 *data, size_t size, int tiffPage) {
	if (tiffPage < 0) return pixReadMem(data, size);
	PIX *p = pixReadMemTiff(data, size, tiffPage);
	if (!p) p = rx_read_rgba(data, size, tiffPage);
	return p;
}

static const char *rx_tiff_last_error(void) { return rx_tiff_err; }
static void rx_tiff_clear_error(void) { rx_tiff_err[0] = 0; }

// rx_gray returns an 8 bpp (or 1 bpp, kept as is) copy without colormap.
static PIX *rx_normalize(PIX *pixs) {
	PIX *p1 = pixRemoveColormap(pixs, REMOVE_CMAP_BASED_ON_SRC);
	if (!p1) return NULL;
	int d = pixGetDepth(p1);
	if (d == 1 || d == 8) return p1;
	PIX *p2 = pixConvertTo8(p1, 0);
	pixDestroy(&p1);
	return p2;
}

static int rx_encode(PIX *pix, l_uint8 **out, size_t *size, int format) {
	return pixWriteMem(out, size, pix, format);
}

static void rx_free(void *p) { lept_free(p); }

static int rx_osd(TessBaseAPI *api, PIX *pix, int *deg, float *conf) {
	char *script = NULL;
	float sconf = 0;
	TessBaseAPISetImage2(api, pix);
	int ok = TessBaseAPIDetectOrientationScript(api, deg, conf, (const char **)&script, &sconf);
	TessBaseAPIClear(api);
	return ok;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"
)

// pix owns a Leptonica image.
type pix struct{ p *C.PIX }

func init() {
	// Leptonica reports every oddity of a damaged file on stderr; the
	// worker's own error says what went wrong.
	C.setMsgSeverity(C.L_SEVERITY_NONE)
	C.rx_quiet_tiff()
}

func decodePix(data []byte, tiffPage int) (*pix, error) {
	if len(data) == 0 {
		return nil, errors.New("empty image")
	}
	C.rx_tiff_clear_error()
	p := C.rx_read((*C.l_uint8)(unsafe.Pointer(&data[0])), C.size_t(len(data)), C.int(tiffPage))
	runtime.KeepAlive(data)
	if p == nil {
		if msg := C.GoString(C.rx_tiff_last_error()); msg != "" {
			return nil, fmt.Errorf("the image data is damaged (%s)", msg)
		}
		return nil, errors.New("the image decoder could not read this page")
	}
	n := C.rx_normalize(p)
	C.pixDestroy(&p)
	if n == nil {
		return nil, errors.New("the image has an unsupported pixel format")
	}
	return &pix{n}, nil
}

func (x *pix) free() {
	if x != nil && x.p != nil {
		C.pixDestroy(&x.p)
	}
}

// replace frees x's image and takes q's.
func (x *pix) replace(q *C.PIX) bool {
	if q == nil {
		return false
	}
	C.pixDestroy(&x.p)
	x.p = q
	return true
}

func (x *pix) size() (w, h, depth int) {
	return int(C.pixGetWidth(x.p)), int(C.pixGetHeight(x.p)), int(C.pixGetDepth(x.p))
}

func (x *pix) resolution() (xres, yres int) {
	return int(C.pixGetXRes(x.p)), int(C.pixGetYRes(x.p))
}

func (x *pix) setResolution(xres, yres int) {
	C.pixSetResolution(x.p, C.l_int32(xres), C.l_int32(yres))
}

// scale resizes by sx, sy. Bilevel images are first turned to gray when
// enlarged, so a standard-resolution fax gets interpolated rows rather than
// doubled ones.
func (x *pix) scale(sx, sy float64) bool {
	if _, _, d := x.size(); d == 1 && (sx > 1.05 || sy > 1.05) {
		if !x.replace(C.pixConvertTo8(x.p, 0)) {
			return false
		}
	}
	return x.replace(C.pixScale(x.p, C.l_float32(sx), C.l_float32(sy)))
}

func (x *pix) rotateOrth(quads int) bool {
	return x.replace(C.pixRotateOrth(x.p, C.l_int32(quads)))
}

// deskew straightens the page; it returns the angle found in degrees.
func (x *pix) deskew() float64 {
	var angle, conf C.l_float32
	q := C.pixFindSkewAndDeskew(x.p, 0, &angle, &conf)
	if q == nil {
		return 0
	}
	x.replace(q)
	if conf < 2.5 {
		return 0
	}
	return float64(angle)
}

// png encodes the image for storage and display. Leptonica takes the zlib
// level from the image's "special" field (10 + level): level 1 encodes a
// page a third quicker than the default level 6, for a fifth more bytes,
// and the pixels are the same.
func (x *pix) png() ([]byte, error) {
	C.pixSetSpecial(x.p, 10+1)
	defer C.pixSetSpecial(x.p, 0)
	return x.encode(C.IFF_PNG)
}

// raw encodes the image uncompressed, the quickest way to hand it to
// Tesseract.
func (x *pix) raw() ([]byte, error) { return x.encode(C.IFF_BMP) }

func (x *pix) encode(format C.int) ([]byte, error) {
	var out *C.l_uint8
	var n C.size_t
	if C.rx_encode(x.p, &out, &n, format) != 0 || out == nil {
		return nil, errors.New("cannot encode page image")
	}
	defer C.rx_free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(n)), nil
}

// osd detects the page orientation with Tesseract's OSD model.
type osd struct{ api *C.TessBaseAPI }

func newOSD(datapath string) (*osd, error) {
	api := C.TessBaseAPICreate()
	lang := C.CString("osd")
	defer C.free(unsafe.Pointer(lang))
	var dp *C.char
	if datapath != "" {
		dp = C.CString(datapath)
		defer C.free(unsafe.Pointer(dp))
	}
	if C.TessBaseAPIInit3(api, dp, lang) != 0 {
		C.TessBaseAPIDelete(api)
		return nil, fmt.Errorf("tesseract osd model not available")
	}
	C.TessBaseAPISetPageSegMode(api, C.PSM_OSD_ONLY)
	return &osd{api}, nil
}

// detect returns the rotation of the page content (0, 90, 180, 270) and
// the model's confidence.
func (o *osd) detect(x *pix) (deg int, conf float64, ok bool) {
	var d C.int
	var c C.float
	if C.rx_osd(o.api, x.p, &d, &c) == 0 {
		return 0, 0, false
	}
	return int(d), float64(c), true
}

func (o *osd) close() { C.TessBaseAPIDelete(o.api) }

// clip returns a copy of a rectangle of the image, or nil.
func (x *pix) clip(x0, y0, w, h int) *pix {
	box := C.boxCreate(C.l_int32(x0), C.l_int32(y0), C.l_int32(w), C.l_int32(h))
	if box == nil {
		return nil
	}
	defer C.boxDestroy(&box)
	q := C.pixClipRectangle(x.p, box, nil)
	if q == nil {
		return nil
	}
	return &pix{q}
}
