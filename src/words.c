/* words.c - the vc_words list: entries, respondents and the merge log.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *vc_group_name(vc_group group) { return group == VC_GROUP_CHOSEN ? "chosen" : group == VC_GROUP_SUGGESTED ? "suggested" : "word"; }
bool vc_group_parse(const char *name, vc_group *out) { VC_UNUSED(name); VC_UNUSED(out); return false; }
vc_words *vc_words_new(vc_error *err) { return calloc(1, sizeof(vc_words)) ? NULL : (vc_fail_nomem(err, "words"), NULL); }
void vc_words_free(vc_words *words) { VC_UNUSED(words); }
bool vc_words_add(vc_words *words, const char *text, double count, vc_group group, vc_error *err) { VC_UNUSED(words); VC_UNUSED(text); VC_UNUSED(count); VC_UNUSED(group); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
size_t vc_words_size(const vc_words *words) { return words ? words->n : 0; }
const char *vc_words_text(const vc_words *words, size_t i) { return words->items[i].text; }
double vc_words_count(const vc_words *words, size_t i) { return words->items[i].count; }
vc_group vc_words_group(const vc_words *words, size_t i) { return words->items[i].group; }
size_t vc_words_respondents(const vc_words *words) { return words ? words->respondents : 0; }
size_t vc_words_merge_count(const vc_words *words) { return words ? words->n_merges : 0; }
bool vc_words_merge(const vc_words *words, size_t i, vc_merge *out) { VC_UNUSED(words); VC_UNUSED(i); VC_UNUSED(out); return false; }
void vc_words_sort(vc_words *words) { VC_UNUSED(words); }
bool vc_words_add_merge(vc_words *words, const char *from, const char *into, const char *kind, double count, vc_error *err) { VC_UNUSED(words); VC_UNUSED(from); VC_UNUSED(into); VC_UNUSED(kind); VC_UNUSED(count); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
