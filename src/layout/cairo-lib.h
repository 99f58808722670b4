/* cairo-lib.h - cairo, loaded on first use rather than at start-up.
 *
 * Words are rasterised by FreeType directly (raster-ft.c) and PNG and SVG
 * need no cairo, so most runs never call it; yet linking it made every
 * start load it and the eleven libraries behind it (pixman, X11, xcb ...):
 * measured, `votecloud --version` took 3.4 ms rather than 2.2 ms, a tenth
 * of a 50-word render.  So cairo is opened with dlopen when a path that
 * draws with it starts (the cairo fallback rasteriser, PDF, the chart),
 * and its functions are called through a table.
 *
 * Include this after the cairo headers, in the .c files that call cairo:
 * every function below then goes through the table under its own name.
 * A path must call vc_cairo_require (and check it) before its first call. */
#ifndef VC_CAIRO_LIB_H
#define VC_CAIRO_LIB_H

#include "core/core.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>

/* Every cairo function votecloud calls. */
#define VC_CAIRO_FUNCTIONS(X)                                                              \
    X(cairo_create) X(cairo_destroy) X(cairo_status) X(cairo_status_to_string)              \
    X(cairo_save) X(cairo_restore) X(cairo_translate) X(cairo_scale) X(cairo_rotate)         \
    X(cairo_set_matrix) X(cairo_set_operator) X(cairo_set_source_rgb) X(cairo_rectangle)     \
    X(cairo_fill) X(cairo_show_glyphs) X(cairo_set_font_face) X(cairo_set_font_size)         \
    X(cairo_set_font_options) X(cairo_get_scaled_font) X(cairo_scaled_font_status)           \
    X(cairo_font_options_create) X(cairo_font_options_destroy)                               \
    X(cairo_font_options_set_antialias) X(cairo_font_options_set_hint_style)                 \
    X(cairo_font_options_set_hint_metrics) X(cairo_font_face_destroy)                        \
    X(cairo_font_face_status) X(cairo_font_face_set_user_data)                               \
    X(cairo_ft_font_face_create_for_ft_face) X(cairo_surface_destroy)                        \
    X(cairo_surface_finish) X(cairo_surface_flush) X(cairo_surface_status)                   \
    X(cairo_image_surface_create) X(cairo_image_surface_create_for_data)                     \
    X(cairo_image_surface_get_data) X(cairo_image_surface_get_stride)                        \
    X(cairo_pdf_surface_create_for_stream) X(cairo_pdf_surface_set_metadata)

/* Each member has its function's own type and name. */
typedef struct vc_cairo_lib {
#define VC_CAIRO_MEMBER(name) __typeof__(name) *name;
    VC_CAIRO_FUNCTIONS(VC_CAIRO_MEMBER)
#undef VC_CAIRO_MEMBER
} vc_cairo_lib;

/* Loads cairo once per process (again after a failure, which may have
 * been a lack of memory); false with `err` set when it cannot be loaded
 * or lacks a function. */
bool vc_cairo_require(vc_error *err);

/* The table; filled once vc_cairo_require has succeeded. */
const vc_cairo_lib *vc_cairo_lib_get(void);

#ifndef VC_CAIRO_LIB_IMPL
#define VC_CAIRO_CALL(name) (vc_cairo_lib_get()->name)
#define cairo_create VC_CAIRO_CALL(cairo_create)
#define cairo_destroy VC_CAIRO_CALL(cairo_destroy)
#define cairo_status VC_CAIRO_CALL(cairo_status)
#define cairo_status_to_string VC_CAIRO_CALL(cairo_status_to_string)
#define cairo_save VC_CAIRO_CALL(cairo_save)
#define cairo_restore VC_CAIRO_CALL(cairo_restore)
#define cairo_translate VC_CAIRO_CALL(cairo_translate)
#define cairo_scale VC_CAIRO_CALL(cairo_scale)
#define cairo_rotate VC_CAIRO_CALL(cairo_rotate)
#define cairo_set_matrix VC_CAIRO_CALL(cairo_set_matrix)
#define cairo_set_operator VC_CAIRO_CALL(cairo_set_operator)
#define cairo_set_source_rgb VC_CAIRO_CALL(cairo_set_source_rgb)
#define cairo_rectangle VC_CAIRO_CALL(cairo_rectangle)
#define cairo_fill VC_CAIRO_CALL(cairo_fill)
#define cairo_show_glyphs VC_CAIRO_CALL(cairo_show_glyphs)
#define cairo_set_font_face VC_CAIRO_CALL(cairo_set_font_face)
#define cairo_set_font_size VC_CAIRO_CALL(cairo_set_font_size)
#define cairo_set_font_options VC_CAIRO_CALL(cairo_set_font_options)
#define cairo_get_scaled_font VC_CAIRO_CALL(cairo_get_scaled_font)
#define cairo_scaled_font_status VC_CAIRO_CALL(cairo_scaled_font_status)
#define cairo_font_options_create VC_CAIRO_CALL(cairo_font_options_create)
#define cairo_font_options_destroy VC_CAIRO_CALL(cairo_font_options_destroy)
#define cairo_font_options_set_antialias VC_CAIRO_CALL(cairo_font_options_set_antialias)
#define cairo_font_options_set_hint_style VC_CAIRO_CALL(cairo_font_options_set_hint_style)
#define cairo_font_options_set_hint_metrics VC_CAIRO_CALL(cairo_font_options_set_hint_metrics)
#define cairo_font_face_destroy VC_CAIRO_CALL(cairo_font_face_destroy)
#define cairo_font_face_status VC_CAIRO_CALL(cairo_font_face_status)
#define cairo_font_face_set_user_data VC_CAIRO_CALL(cairo_font_face_set_user_data)
#define cairo_ft_font_face_create_for_ft_face                                            \
    VC_CAIRO_CALL(cairo_ft_font_face_create_for_ft_face)
#define cairo_surface_destroy VC_CAIRO_CALL(cairo_surface_destroy)
#define cairo_surface_finish VC_CAIRO_CALL(cairo_surface_finish)
#define cairo_surface_flush VC_CAIRO_CALL(cairo_surface_flush)
#define cairo_surface_status VC_CAIRO_CALL(cairo_surface_status)
#define cairo_image_surface_create VC_CAIRO_CALL(cairo_image_surface_create)
#define cairo_image_surface_create_for_data VC_CAIRO_CALL(cairo_image_surface_create_for_data)
#define cairo_image_surface_get_data VC_CAIRO_CALL(cairo_image_surface_get_data)
#define cairo_image_surface_get_stride VC_CAIRO_CALL(cairo_image_surface_get_stride)
#define cairo_pdf_surface_create_for_stream VC_CAIRO_CALL(cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata VC_CAIRO_CALL(cairo_pdf_surface_set_metadata)
#endif

#endif
