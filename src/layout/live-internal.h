/* live-internal.h - private to the live layout (live.c, live-place.c,
 * live-snapshot.c): the words of a live cloud with their anchors, and the
 * canvas they share. */
#ifndef VC_LIVE_INTERNAL_H
#define VC_LIVE_INTERNAL_H

#include "layout/engine.h"

/* The scale shrinks by this step when a word cannot be fitted: large
 * enough that it does not happen on every vote (hysteresis). */
#define VC_LIVE_SHRINK 0.9
/* Shrinks tried in one update before the words that still find no room
 * are dropped (0.9^200 is about 1e-9). */
#define VC_LIVE_MAX_SHRINKS 200

/* --wrap auto: a phrase wider than this share of the canvas on one line
 * goes on as few more lines as bring it within (as fit.c's WRAP_SHARE:
 * narrower phrases are not what keeps a cloud small). */
#define VC_LIVE_WRAP_SHARE 0.5

/* A word's state: drawn, not part of the counts any more, or why it is
 * not drawn. */
enum {
    LIVE_DRAWN = 0,
    LIVE_GONE, /* not in the last counts (hidden, or never given) */
    LIVE_NO_VOTES,
    LIVE_PAST_MAX,  /* past opts.max_words */
    LIVE_TOO_SMALL, /* below opts.min_font_size at the scale */
    LIVE_NO_INK,
    LIVE_NO_ROOM
};

typedef struct live_word {
    char *text;
    vc_group group;
    double count, f; /* votes and vc_sizing_value of them */
    double rotation;
    vc_shaped shaped; /* owned; at 1 px em; on the lines it is drawn on now */
    /* --wrap auto, a flat phrase: it may go on 1 to max_lines lines, all
     * shaped when it is added.  alt[k - 1] is the phrase on k lines (empty
     * for the lines in `shaped`; vc_shaped_use_lines). */
    unsigned max_lines;
    vc_shaped alt[VC_WRAP_MAX_LINES];
    bool given;       /* in the last counts */
    int state;
    bool pending;  /* to be (re)seated in this update */
    bool in_occ;   /* its ink is in the canvas bitmap */
    bool anchored; /* has been drawn: (ax, ay) is where */
    double ax, ay; /* anchor: the ink box's centre, canvas px */
    double size;   /* font size of ink and sp; 0 before the first */
    vc_ink ink;    /* owned */
    vc_sprite sp;  /* owned */
    int x, y;      /* sprite top-left on the canvas when drawn */
    uint64_t seq;  /* when it was last seated (vc_live.commits then): it
                    * was checked against the words seated before it */
    /* What it takes of a canvas (ink grown by the padding, line ends) at
     * `size`, with its sprite's top-left at (pad_m, pad_m): taken again
     * by a plain OR, without growing the ink again.  Owned; bits NULL
     * until first taken at this size. */
    vc_occupancy pad;
    int pad_m;
} live_word;

struct vc_live {
    vc_context *ctx;        /* owned */
    vc_layout *proto;       /* owned: option strings and fonts, never drawn */
    char *font_dir;         /* owned copy of opts->font_dir */
    vc_render_options opts; /* strings point into proto and font_dir */
    vc_engine e;            /* the canvas: occupancy, base, frame, padding */
    bool canvas_ready;
    live_word *w; /* every word ever given, in order of arrival */
    size_t n, cap;
    size_t *order; /* the given words, most votes first */
    size_t n_order;
    double scale; /* font_size = scale * f(votes) */
    bool have_scale;
    double cap_size; /* the top word's largest font size */
    size_t respondents, total;
    bool updated;     /* vc_live_update has been called (no restore then) */
    uint64_t commits; /* words seated so far */
};

/* live.c: the word (text, group), added (shaped, angled, not yet drawn)
 * when new; NULL with err when out of memory or it cannot be shaped. */
live_word *vc_live_find_or_add(vc_live *lv, const char *text, vc_group group,
                               vc_error *err);
/* live.c: back to as new (no words, no scale, an empty canvas). */
void vc_live_reset(vc_live *lv);

/* live-place.c: takes word w (drawn at w->x, w->y at w->size) into the
 * canvas, as vc_canvas_take_word would, from its cached padded mask. */
bool vc_live_take(vc_live *lv, live_word *w, vc_error *err);

/* live.c: the canvas bitmap again from the drawn words marked in_occ. */
bool vc_live_rebuild(vc_live *lv, vc_error *err);

/* live-place.c: seats word i (rasterised at scale * f) during an
 * incremental update: at or near its anchor, then by moving smaller
 * neighbours, then anywhere from its anchor (a new word: from the
 * centre).  *placed false with state LIVE_NO_ROOM when it does not fit,
 * LIVE_NO_INK when it has nothing to draw. */
bool vc_live_seat(vc_live *lv, size_t i, bool *placed, vc_error *err);
/* Seats word i at font size `size` with its sprite's top-left at (x, y),
 * as a restored state says: VC_ERR_DATA when it is off the canvas or
 * touches a word already there (the state is not this layout's). */
bool vc_live_seat_at(vc_live *lv, size_t i, double size, int x, int y, vc_error *err);
/* Seats word i during a repack: the free place nearest its anchor. */
bool vc_live_seat_repack(vc_live *lv, size_t i, bool *placed, vc_error *err);

#endif /* VC_LIVE_INTERNAL_H */
