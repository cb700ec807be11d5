/* Debian's libffi (libffi-dev), used to call typed C commands of plugins, plus accessors for
 * its type descriptors and default ABI (Swift cannot safely touch the mutable globals). */
#ifndef TETHER_CFFI_SHIM_H
#define TETHER_CFFI_SHIM_H
#include <ffi.h>

static inline ffi_type *tether_ffi_void(void) { return &ffi_type_void; }
static inline ffi_type *tether_ffi_uint8(void) { return &ffi_type_uint8; }
static inline ffi_type *tether_ffi_sint32(void) { return &ffi_type_sint32; }
static inline ffi_type *tether_ffi_uint32(void) { return &ffi_type_uint32; }
static inline ffi_type *tether_ffi_sint64(void) { return &ffi_type_sint64; }
static inline ffi_type *tether_ffi_uint64(void) { return &ffi_type_uint64; }
static inline ffi_type *tether_ffi_double(void) { return &ffi_type_double; }
static inline ffi_type *tether_ffi_pointer(void) { return &ffi_type_pointer; }

static inline int tether_ffi_prepare(ffi_cif *cif, unsigned count, ffi_type *result, ffi_type **arguments) {
    return ffi_prep_cif(cif, FFI_DEFAULT_ABI, count, result, arguments) == FFI_OK;
}
#endif
