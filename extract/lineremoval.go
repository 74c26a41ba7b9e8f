package extract

/*
#include <leptonica/allheaders.h>

// rx_remove_lines whitens horizontal and vertical printed lines (form
// lines, underlines, table borders) at least minlen pixels long and at most
// maxthick thick, which otherwise merge with the characters touching them.
static int rx_remove_lines(PIX *pix, int minlen, int maxthick) {
	PIX *bin = NULL;
	if (pixGetDepth(pix) == 1) {
		bin = pixClone(pix);
	} else {
		// Photos have uneven light: flatten the background before
		// deciding what is ink.
		PIX *norm = pixBackgroundNormSimple(pix, NULL, NULL);
		bin = pixConvertTo1(norm ? norm : pix, 128);
		pixDestroy(&norm);
	}
	if (!bin) return 0;
	PIX *h = pixOpenBrick(NULL, bin, minlen, 1);
	PIX *v = pixOpenBrick(NULL, bin, 1, minlen);
	pixDestroy(&bin);
	if (!h || !v) { pixDestroy(&h); pixDestroy(&v); return 0; }
	// Printed lines are thin: what survives an opening across them is a dark
	// area (a shadow, a black bar), not a line.
	PIX *hthick = pixOpenBrick(NULL, h, 1, maxthick);
	PIX *vthick = pixOpenBrick(NULL, v, maxthick, 1);
	if (hthick) pixSubtract(h, h, hthick);
	if (vthick) pixSubtract(v, v, vthick);
	pixDestroy(&hthick);
	pixDestroy(&vthick);
	PIX *lines = pixOr(NULL, h, v);
	pixDestroy(&h);
	pixDestroy(&v);
	if (!lines) return 0;
	// Cover the lines' anti-aliased edges too.
	PIX *wide = pixDilateBrick(NULL, lines, 1, 3);
	pixDestroy(&lines);
	if (!wide) return 0;
	int ok = pixSetMasked(pix, wide, pixGetDepth(pix) == 1 ? 0 : 255) == 0;
	pixDestroy(&wide);
	return ok;
}
*/
import "C"

// removeLines whitens long thin horizontal and vertical lines in place.
func (x *pix) removeLines(minLen, maxThick int) bool {
	return C.rx_remove_lines(x.p, C.int(minLen), C.int(maxThick)) != 0
}
