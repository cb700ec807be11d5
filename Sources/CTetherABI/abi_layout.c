/* Compile-time checks that the v1.0 layout of the ABI structs never changes on this platform.
 * If one of these fails, a field was inserted or retyped: append instead (see the header). */
#include "tether_plugin.h"

#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(offsetof(tether_host_api, release) == 56, "tether_host_api v1.0 layout changed");
_Static_assert(offsetof(tether_host_api, release) + sizeof(void *) == 64, "tether_host_api v1.0 size changed");
_Static_assert(offsetof(tether_plugin_descriptor, get_extension) == 72, "descriptor v1.0 layout changed");
_Static_assert(sizeof(tether_plugin_descriptor) == 80, "descriptor v1.0 size changed");
_Static_assert(sizeof(tether_extension_v1) == 24, "tether_extension_v1 v1.0 size changed");
#endif

#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(offsetof(tether_host_api, now_ns) == 64, "tether_host_api v1.1 must start where v1.0 ended");
_Static_assert(sizeof(tether_host_api) == 96, "tether_host_api v1.1 size changed");
#endif
