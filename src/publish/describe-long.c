/* describe-long.c - the long description and method note of a cloud, in
 * plain text or as an HTML fragment from one sequence of sections, so the
 * two say the same thing.  Every number is taken from the layout and the
 * words it was made from; the date is the caller's, so output is
 * reproducible. */
#include "layout/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOP_N_DEFAULT 10

void vc_description_options_init(vc_description_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    opts->format = VC_TEXT_PLAIN;
    opts->top_n = TOP_N_DEFAULT;
}

/* ---- the emitter: the same calls make text or HTML --------------------- */

typedef struct doc {
    vc_buf *b;
    bool html;
} doc;

/* Text from the data: escaped for HTML, controls as spaces in text. */
static void put(doc *d, const char *s)
{
    if (d->html) {
        vc_buf_xml_escape(d->b, s);
        return;
    }
    for (; *s; s++) {
        char c = (unsigned char)*s < 0x20 || *s == 0x7F ? ' ' : *s;
        vc_buf_append(d->b, &c, 1);
    }
}

/* Our own words (ASCII or known-safe UTF-8, no markup characters). */
static void say(doc *d, const char *fmt, ...) VC_PRINTF(2, 3);
static void say(doc *d, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    vc_buf_puts(d->b, tmp);
}

static void num(doc *d, double v)
{
    vc_buf_number(d->b, v, 2);
}

/* “text” with the word's direction isolated in HTML, so an Arabic word
 * does not reorder the sentence around it. */
static void quoted(doc *d, const char *s)
{
    vc_buf_puts(d->b, "\xE2\x80\x9C");
    if (d->html) {
        vc_buf_puts(d->b, "<bdi>");
    }
    put(d, s);
    if (d->html) {
        vc_buf_puts(d->b, "</bdi>");
    }
    vc_buf_puts(d->b, "\xE2\x80\x9D");
}

static void heading(doc *d, const char *id, const char *text)
{
    if (d->html) {
        vc_buf_printf(d->b, "<h2 id=\"%s\">%s</h2>\n", id, text);
    } else {
        size_t n = strlen(text);
        vc_buf_printf(d->b, "%s\n", text);
        for (size_t i = 0; i < n; i++) {
            vc_buf_puts(d->b, "-");
        }
        vc_buf_puts(d->b, "\n\n");
    }
}

static void p_begin(doc *d)
{
    vc_buf_puts(d->b, d->html ? "<p>" : "");
}

static void p_end(doc *d)
{
    vc_buf_puts(d->b, d->html ? "</p>\n" : "\n\n");
}

static void ul_begin(doc *d)
{
    vc_buf_puts(d->b, d->html ? "<ul>\n" : "");
}

static void ul_end(doc *d)
{
    vc_buf_puts(d->b, d->html ? "</ul>\n" : "\n");
}

static void li_begin(doc *d)
{
    vc_buf_puts(d->b, d->html ? "<li>" : "- ");
}

static void li_end(doc *d)
{
    vc_buf_puts(d->b, d->html ? "</li>\n" : "\n");
}

static void plural(doc *d, double n, const char *one, const char *many)
{
    num(d, n);
    say(d, " %s", n == 1 ? one : many);
}

/* ---- the facts ----------------------------------------------------------- */

/* Every counted word, drawn or not, most votes first then by text. */
typedef struct fact_word {
    const char *text;
    double count;
    const vc_dropped_word *dropped; /* NULL: drawn */
    vc_group group;
    double chosen, suggested; /* the breakdown of a VC_GROUP_BOTH word */
} fact_word;

typedef struct facts {
    const vc_layout *L;
    const vc_words *words;
    const vc_description_options *o;
    fact_word *all;
    size_t n_all;
    double total;        /* votes of every counted word */
    const vc_placed_word *top_drawn;
    size_t by_kind[VC_MERGE_KIND_COUNT];
    double moved[VC_MERGE_KIND_COUNT];
} facts;

static int fact_cmp(const void *a, const void *b)
{
    const fact_word *x = a, *y = b;
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return strcmp(x->text, y->text);
}

static bool facts_init(facts *f, const vc_layout *L, const vc_words *words,
                       const vc_description_options *o, vc_error *err)
{
    memset(f, 0, sizeof *f);
    f->L = L;
    f->words = words;
    f->o = o;
    size_t n = L->n_placed + L->n_dropped;
    f->all = n ? vc_malloc2(n, sizeof *f->all) : NULL;
    if (n && !f->all) {
        return vc_fail_nomem(err, "description");
    }
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        f->all[f->n_all++] = (fact_word){p->text, p->count, NULL, p->group, p->chosen, p->suggested};
        if (!f->top_drawn || p->count > f->top_drawn->count ||
            (p->count == f->top_drawn->count && strcmp(p->text, f->top_drawn->text) < 0)) {
            f->top_drawn = p;
        }
    }
    for (size_t i = 0; i < L->n_dropped; i++) {
        const vc_dropped_word *w = &L->dropped[i];
        f->all[f->n_all++] = (fact_word){w->text, w->count, w, w->group, w->chosen, w->suggested};
    }
    if (f->n_all) {
        qsort(f->all, f->n_all, sizeof *f->all, fact_cmp);
    }
    for (size_t i = 0; i < f->n_all; i++) {
        f->total += f->all[i].count;
    }
    for (size_t i = 0; words && i < vc_words_merge_count(words); i++) {
        vc_merge m;
        if (vc_words_merge(words, i, &m) && m.kind < VC_MERGE_KIND_COUNT) {
            f->by_kind[m.kind]++;
            f->moved[m.kind] += m.count;
        }
    }
    return true;
}

static size_t respondents(const facts *f)
{
    return f->L->respondents ? f->L->respondents
                             : f->words ? vc_words_respondents(f->words) : 0;
}

/* ---- sections ------------------------------------------------------------ */

static void section_summary(doc *d, const facts *f)
{
    const vc_layout *L = f->L;
    const char *question = f->o->question ? f->o->question : L->question;
    heading(d, "summary", "Summary");
    p_begin(d);
    if (L->title && *L->title) {
        put(d, L->title);
        char last = L->title[strlen(L->title) - 1];
        say(d, "%s ", last == '?' || last == '.' || last == '!' ? "" : ".");
    }
    if (question && *question) {
        say(d, "The question asked was: ");
        quoted(d, question);
        char last = question[strlen(question) - 1];
        say(d, "%s", last == '?' || last == '.' || last == '!' ? "" : ".");
    } else {
        say(d, "The question asked is not recorded.");
    }
    p_end(d);
    p_begin(d);
    size_t r = respondents(f);
    if (r) {
        plural(d, (double)r, "person", "people");
        say(d, " gave at least one counted answer");
    } else {
        say(d, "The number of people who answered is not known (the input held counts or "
               "free text, not one row per person)");
    }
    say(d, "; ");
    plural(d, f->total, "vote was", "votes were");
    say(d, " counted for ");
    plural(d, (double)f->n_all, "word", "words");
    say(d, ", of which the cloud shows ");
    num(d, (double)L->n_placed);
    say(d, ".");
    if (f->o->n_sources) {
        say(d, " The answers came from: ");
        for (size_t i = 0; i < f->o->n_sources; i++) {
            say(d, i == 0 ? "" : i + 1 == f->o->n_sources ? " and " : ", ");
            quoted(d, f->o->sources[i] ? f->o->sources[i] : "");
        }
        say(d, ".");
    }
    p_end(d);
}

static void put_share(doc *d, const facts *f, double count)
{
    size_t r = respondents(f);
    double base = r ? (double)r : f->total;
    if (!(base > 0)) {
        return;
    }
    say(d, " (");
    vc_buf_number(d->b, 100.0 * count / base, 1);
    say(d, r ? "%% of people)" : "%% of votes)");
}

static void section_top(doc *d, const facts *f)
{
    size_t n = f->o->top_n && f->o->top_n < f->n_all ? f->o->top_n : f->n_all;
    heading(d, "top-words", "Top words");
    p_begin(d);
    if (n == 0) {
        say(d, "No words were counted.");
        p_end(d);
        return;
    }
    say(d, "The ");
    plural(d, (double)n, "word", "words");
    say(d, " with the most votes, most first");
    if (respondents(f)) {
        say(d, ", with the share of people who gave each (one person may give several "
               "words, so shares add up to more than 100%%)");
    }
    say(d, ":");
    p_end(d);
    ul_begin(d);
    for (size_t i = 0; i < n; i++) {
        const fact_word *w = &f->all[i];
        li_begin(d);
        quoted(d, w->text);
        say(d, ": ");
        plural(d, w->count, "vote", "votes");
        put_share(d, f, w->count);
        if (w->group == VC_GROUP_BOTH) {
            /* One word, two ways of giving it: say how many each way. */
            say(d, "; ");
            vc_buf_number(d->b, w->chosen, 2);
            say(d, " chose it from the list and ");
            vc_buf_number(d->b, w->suggested, 2);
            say(d, " wrote it in");
        }
        if (w->dropped) {
            say(d, ", not in the image");
        }
        li_end(d);
    }
    ul_end(d);
}

static const char *sizing_sentence(vc_sizing s, bool people)
{
    switch (s) {
    case VC_SIZING_SQRT:
        return people ? "Each word's area is proportional to the number of people who chose it"
                      : "Each word's area is proportional to its votes";
    case VC_SIZING_LOG:
        return "Each word's size grows with the logarithm of its votes, so it is not "
               "proportional: read the counts, not the sizes";
    case VC_SIZING_LINEAR:
        break;
    }
    return people ? "Each word's size is proportional to the number of people who chose it"
                  : "Each word's size is proportional to its votes";
}

static const char *color_sentence(vc_color_by c)
{
    switch (c) {
    case VC_COLOR_BY_GROUP:
        return "Colour shows whether a word was a listed choice or written in.";
    case VC_COLOR_BY_WORD:
        return "Colour only tells words apart; it carries no count.";
    case VC_COLOR_BY_RANK:
        break;
    }
    return "Colour follows the order of votes; it carries no count of its own.";
}

static void section_size(doc *d, const facts *f)
{
    const vc_layout *L = f->L;
    heading(d, "size", "How size shows votes");
    p_begin(d);
    say(d, "%s", sizing_sentence(L->opts.sizing, respondents(f) > 0));
    if (f->top_drawn) {
        say(d, ": the largest word, ");
        quoted(d, f->top_drawn->text);
        say(d, ", is drawn at ");
        vc_buf_number(d->b, f->top_drawn->font_size, 1);
        say(d, " pixels for ");
        plural(d, f->top_drawn->count, "vote", "votes");
    }
    say(d, ". Every word in the image is drawn at the same scale. %s",
        color_sentence(L->opts.color_by));
    p_end(d);
}

static const char *kind_phrase(vc_merge_kind k, bool one)
{
    switch (k) {
    case VC_MERGE_SYNONYM:
        return one ? "synonym (a line of the synonyms file)"
                   : "synonyms (lines of the synonyms file)";
    case VC_MERGE_VOCABULARY:
        return one ? "near-miss spelling of a vocabulary word"
                   : "near-miss spellings of a vocabulary word";
    case VC_MERGE_PLURAL:
        return one ? "plural counted with its singular" : "plurals counted with their singular";
    case VC_MERGE_KIND_COUNT:
        break;
    }
    return one ? "other merge" : "other merges";
}

static void section_merged(doc *d, const facts *f)
{
    heading(d, "merged", "What was merged and excluded");
    p_begin(d);
    if (!f->words) {
        say(d, "The merges and exclusions of this count are not recorded.");
        p_end(d);
        return;
    }
    size_t n = vc_words_merge_count(f->words);
    if (n == 0) {
        say(d, "No spellings were merged beyond the matching rules below.");
    } else {
        plural(d, (double)n, "spelling was", "spellings were");
        say(d, " counted for another word:");
    }
    p_end(d);
    if (n) {
        ul_begin(d);
        for (int k = 0; k < VC_MERGE_KIND_COUNT; k++) {
            if (f->by_kind[k]) {
                li_begin(d);
                num(d, (double)f->by_kind[k]);
                say(d, " %s, moving ", kind_phrase((vc_merge_kind)k, f->by_kind[k] == 1));
                plural(d, f->moved[k], "vote", "votes");
                li_end(d);
            }
        }
        ul_end(d);
    }
    size_t e = vc_words_exclusion_count(f->words);
    p_begin(d);
    if (e == 0) {
        say(d, "No answers were excluded as non-answers or stopwords.");
    } else {
        plural(d, (double)e, "distinct answer", "distinct answers");
        say(d, ", given ");
        plural(d, vc_words_excluded_total(f->words), "time", "times");
        say(d, " in all, %s excluded as saying nothing (such as \xE2\x80\x9Cn/a\xE2\x80\x9D or "
               "\xE2\x80\x9C" "don't know\xE2\x80\x9D) or as stopwords:", e == 1 ? "was" : "were");
    }
    p_end(d);
    if (e) {
        ul_begin(d);
        for (size_t i = 0; i < e; i++) {
            vc_exclusion x;
            if (vc_words_exclusion(f->words, i, &x)) {
                li_begin(d);
                quoted(d, x.text);
                say(d, ": ");
                num(d, x.count);
                li_end(d);
            }
        }
        ul_end(d);
    }
}

/* Why a word is not in the image, from the enum (never from the text). */
static const char *drop_sentence(vc_drop_reason why)
{
    switch (why) {
    case VC_DROP_NO_VOTES:
        return "no votes";
    case VC_DROP_MAX_WORDS:
        return "beyond the number of words asked for";
    case VC_DROP_TOO_SMALL:
        return "fewest votes: too small to read at the scale where the rest fit";
    case VC_DROP_NOTHING_FITS:
    case VC_DROP_NO_ROOM:
        return "no room on the canvas at its size";
    case VC_DROP_NO_INK:
        return "its characters draw nothing visible";
    case VC_DROP_TOO_LONG:
        return "too long to draw at its size";
    }
    return "left out";
}

/* The fewest votes of a drawn word (the layout has at least one). */
static double least_drawn(const vc_layout *L)
{
    double least = L->placed[0].count;
    for (size_t i = 1; i < L->n_placed; i++) {
        least = L->placed[i].count < least ? L->placed[i].count : least;
    }
    return least;
}

static void section_left_out(doc *d, const facts *f)
{
    const vc_layout *L = f->L;
    heading(d, "left-out", "What the image leaves out");
    p_begin(d);
    if (L->n_dropped == 0) {
        say(d, "Every counted word is in the image.");
        p_end(d);
        return;
    }
    plural(d, (double)L->n_dropped, "counted word is", "counted words are");
    say(d, " not in the image; each is in the table with its votes:");
    p_end(d);
    ul_begin(d);
    double least = L->n_placed ? least_drawn(L) : INFINITY;
    for (size_t i = 0; i < L->n_dropped; i++) {
        const vc_dropped_word *w = &L->dropped[i];
        li_begin(d);
        quoted(d, w->text);
        say(d, ": ");
        plural(d, w->count, "vote", "votes");
        say(d, ", %s", drop_sentence(w->why));
        if (w->why == VC_DROP_MAX_WORDS && w->count >= least) {
            say(d, ", tied with a drawn word: of tied words, the first in alphabetical order are kept");
        }
        say(d, " (%s)", vc_drop_reason_to_string(w->why));
        li_end(d);
    }
    ul_end(d);
}

static void rule(doc *d, const char *text, const facts *f, int kind)
{
    li_begin(d);
    say(d, "%s", text);
    if (kind >= 0 && f->words) {
        say(d, " (");
        plural(d, (double)f->by_kind[kind], "merge", "merges");
        say(d, " here)");
    }
    li_end(d);
}

static void section_method(doc *d, const facts *f)
{
    heading(d, "method", "Method note");
    p_begin(d);
    say(d, "How answers were matched, in the order the rules apply:");
    p_end(d);
    ul_begin(d);
    rule(d, "Spellings that differ only in letter case, Unicode form (NFC), curly or "
            "straight apostrophes, or spaces, hyphens and underscores between letters count "
            "as one word, shown in its most common spelling.", f, -1);
    rule(d, "A line \xE2\x80\x9Cvariant = canonical\xE2\x80\x9D of a synonyms file counts the "
            "variant for the canonical spelling, as written in the file.", f, VC_MERGE_SYNONYM);
    rule(d, "An answer within one letter of a vocabulary word of five or more letters is "
            "counted for that word.", f, VC_MERGE_VOCABULARY);
    rule(d, "A plural is counted with its singular when both were given (if asked for).", f,
         VC_MERGE_PLURAL);
    rule(d, "Answers that say nothing (\xE2\x80\x9Cn/a\xE2\x80\x9D, \xE2\x80\x9Cnone\xE2\x80\x9D, "
            "\xE2\x80\x9C" "don't know\xE2\x80\x9D, only punctuation or emoji) and stopwords are "
            "excluded and counted, never dropped silently.", f, -1);
    rule(d, "Nothing else is merged, corrected or removed.", f, -1);
    ul_end(d);
    size_t n = f->words ? vc_words_merge_count(f->words) : 0;
    if (n == 0) {
        return;
    }
    p_begin(d);
    say(d, "Every merge made:");
    p_end(d);
    ul_begin(d);
    for (size_t i = 0; i < n; i++) {
        vc_merge m;
        if (!vc_words_merge(f->words, i, &m)) {
            continue;
        }
        li_begin(d);
        quoted(d, m.from);
        say(d, " counted for ");
        quoted(d, m.into);
        say(d, ": ");
        plural(d, m.count, "vote", "votes");
        say(d, " (%s)", vc_merge_kind_to_string(m.kind));
        li_end(d);
    }
    ul_end(d);
}

static void section_provenance(doc *d, const facts *f)
{
    heading(d, "provenance", "Date and version");
    time_t t = (time_t)f->o->date;
    struct tm tm;
    char date[32] = "an unknown date";
    if (gmtime_r(&t, &tm)) {
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
    }
    p_begin(d);
    say(d, "Made with votecloud %s on %s (UTC).", vc_version(), date);
    p_end(d);
}

char *vc_layout_long_description(const vc_layout *layout, const vc_words *words,
                                 const vc_description_options *opts, vc_error *err)
{
    if (!layout) {
        vc_fail(err, VC_ERR_SOFTWARE, "vc_layout_long_description: no layout");
        return NULL;
    }
    vc_description_options o;
    vc_description_options_init(&o);
    if (opts && !vc_options_adopt(opts, sizeof o, &o, "vc_description_options", err)) {
        return NULL;
    }
    if (o.question && !vc_text_check_utf8(o.question, strlen(o.question), "question", err)) {
        return NULL;
    }
    for (size_t i = 0; i < o.n_sources; i++) {
        if (o.sources[i] &&
            !vc_text_check_utf8(o.sources[i], strlen(o.sources[i]), "source name", err)) {
            return NULL;
        }
    }
    facts f;
    if (!facts_init(&f, layout, words, &o, err)) {
        return NULL;
    }
    vc_buf b;
    vc_buf_init(&b);
    doc d = {&b, o.format == VC_TEXT_HTML};
    if (d.html) {
        vc_buf_puts(&b, "<section class=\"vc-description\" aria-labelledby=\"summary\">\n");
    }
    section_summary(&d, &f);
    section_top(&d, &f);
    section_size(&d, &f);
    section_merged(&d, &f);
    section_left_out(&d, &f);
    section_method(&d, &f);
    section_provenance(&d, &f);
    if (d.html) {
        vc_buf_puts(&b, "</section>\n");
    }
    free(f.all);
    if (b.failed) {
        vc_buf_finish(&b);
        vc_fail_nomem(err, "description");
        return NULL;
    }
    return b.data;
}
