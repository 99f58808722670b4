/* count.c - the counter: reads inputs through the readers, merges and counts.
 * STUB: to be written. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void vc_count_options_init(vc_count_options *opts) { memset(opts, 0, sizeof *opts); }
vc_counter *vc_counter_new(const vc_count_options *opts, vc_error *err) { VC_UNUSED(opts); vc_fail(err, VC_ERR_SOFTWARE, "counting not implemented"); return NULL; }
void vc_counter_free(vc_counter *counter) { VC_UNUSED(counter); }
bool vc_counter_load_stopwords(vc_counter *c, const char *path, vc_error *err) { VC_UNUSED(c); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_counter_load_synonyms(vc_counter *c, const char *path, vc_error *err) { VC_UNUSED(c); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_counter_load_vocabulary(vc_counter *c, const char *path, vc_error *err) { VC_UNUSED(c); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_counter_add_file(vc_counter *c, const char *path, vc_error *err) { VC_UNUSED(c); VC_UNUSED(path); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
bool vc_counter_add_buffer(vc_counter *c, const char *name, const void *data, size_t len, vc_error *err) { VC_UNUSED(c); VC_UNUSED(name); VC_UNUSED(data); VC_UNUSED(len); return vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); }
size_t vc_counter_event_count(const vc_counter *c) { VC_UNUSED(c); return 0; }
const char *vc_counter_event_name(const vc_counter *c, size_t i) { VC_UNUSED(c); VC_UNUSED(i); return NULL; }
vc_words *vc_counter_words(vc_counter *c, const char *event, vc_error *err) { VC_UNUSED(c); VC_UNUSED(event); vc_fail(err, VC_ERR_SOFTWARE, "not implemented"); return NULL; }
