/* table.h - private to table.c and its tests: the data table of a layout
 * rendered into a buffer (vc_layout_write_table writes it to a file). */
#ifndef VC_TABLE_H
#define VC_TABLE_H

#include "layout/layout.h"

/* A standalone HTML page with a <table> of every word (drawn or left
 * out), most votes first.  Appends to `out`; false when out of memory. */
bool vc_table_html(const vc_layout *layout, vc_buf *out);
/* The same rows as RFC 4180 CSV (UTF-8 with BOM, CRLF), with cells that a
 * spreadsheet would run as formulas neutralised. */
bool vc_table_csv(const vc_layout *layout, vc_buf *out);

#endif
