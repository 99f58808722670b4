/* live-qr.c - the join URL as a QR code: libqrencode makes the module
 * matrix, drawn here as one SVG path (one "h" run per horizontal stretch of
 * dark modules) with the 4-module quiet zone the standard asks for. */
#define _GNU_SOURCE
#include "live-room.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>

char *lv_qr_svg(const char *text)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL) {
        return NULL;
    }
    int w = qr->width, quiet = 4, size = w + 2 * quiet;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) {
        QRcode_free(qr);
        return NULL;
    }
    fprintf(
        f,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
        "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code of the join "
        "address\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" "
        "d=\"",
        size, size, size, size);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 0;
            while (x + run < w && (qr->data[y * w + x + run] & 1)) {
                run++;
            }
            fprintf(f, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
            x += run;
        }
    }
    fputs("\"/></svg>\n", f);
    QRcode_free(qr);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
