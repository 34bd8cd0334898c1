#ifndef OPORA_ZLIB_SHIM_H
#define OPORA_ZLIB_SHIM_H
// zlib, for reading the deflate streams of XLSX (and DOCX) archives with our own bounds checks.
#include <zlib.h>
#endif
