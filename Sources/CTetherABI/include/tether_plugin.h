/*
 * tether_plugin.h — the Tether plugin ABI, version 1.1.
 *
 * This is the only header a plugin author needs. It is plain C11 (no C++ or Swift types) and
 * describes everything that crosses between the Tether host and a plugin loaded with dlopen().
 *
 * ---------------------------------------------------------------------------------------------
 * EVOLUTION RULES (the ABI is frozen once released; a test keeps v1.0 plugins loading forever)
 *  - Every boundary struct starts with { uint32_t struct_size; uint32_t abi_version; }.
 *  - Structs are APPEND-ONLY. A field is never reordered, removed, retyped or re-purposed.
 *  - A reader checks TETHER_HAS_FIELD() before touching any field added after v1.0; a writer
 *    fills struct_size with sizeof() of the struct it was compiled against.
 *  - MAJOR bump = incompatible; the host refuses plugins of another major version.
 *    MINOR bump = appended fields or new extension ids only; older and newer minors interoperate.
 *  - Optional features are extensions looked up by a versioned id ("tether.power-actions/1").
 *    A breaking change to an extension gets a new id ("…/2"); the host may ask for both.
 *
 * MEMORY AND OWNERSHIP
 *  - Arguments are BORROWED for the duration of the call: copy what you keep.
 *  - Results passed to a completion callback are BORROWED until the callback returns: the
 *    receiver copies them. Neither side ever frees memory that the other side allocated,
 *    except blocks obtained from host->alloc, which are released with host->release.
 *  - Instances are allocated and freed by the plugin (create/destroy).
 *  - Strings in descriptors and extension structs are static for the life of the process.
 *  - All JSON is UTF-8 with an explicit length; it is not NUL-terminated.
 *
 * THREADING
 *  - [host-serialized] functions are never called concurrently with each other for one plugin.
 *  - [thread-safe] functions may be called from any thread, concurrently.
 *  - Completion callbacks may be invoked on ANY thread, including synchronously before the
 *    call that started the work returns.
 *  - Every accepted request (status TETHER_OK returned) completes EXACTLY ONCE through its
 *    callback. A request refused with an error status never calls back.
 *  - NEVER BLOCK inside an ABI call waiting for asynchronous work (the host calls plugins from a
 *    small cooperative thread pool; blocking it deadlocks the process). Start the work, return,
 *    complete through the callback. CPU-heavy work belongs on the plugin's own thread.
 *
 * LOADING
 *  - The host dlopen()s plugins with RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE and never dlclose()s
 *    them (unloading Swift images crashes the runtime). "Disabling" a plugin means destroy()
 *    plus forgetting the instance.
 *  - A plugin exports exactly one symbol: the function named by TETHER_ENTRY_SYMBOL. Build C
 *    plugins with `cc -shared -fPIC -fvisibility=hidden` and mark the entry TETHER_EXPORT.
 *  - destroy() must cancel or drain in-flight work: no callback may fire after it returns.
 *
 * REQUESTS
 *  Every request to a plugin is one JSON object handed to handle(). Its "op" names what is
 *  asked; the other members are the op's arguments (see README "Plugin requests"):
 *    {"op":"command","command":"<name>","args":{…}}            (tether.commands/1)
 *    {"op":"power.action","guid":"…","action":{code,name},…}   (tether.power-actions/1)
 *    {"op":"profile.validate","profile":{…},"operation":"create"|"update"} (tether.profile-policy/1)
 *    {"op":"http.request","method":…,"path":…,"query":…,"headers":…,"body_base64":…}
 *                                                               (tether.frontend.http/1)
 *    {"op":"event","subscription":"<name>","event":{"type","time","guid"?,"tenantId",…}}
 *                                                               (tether.events/1)
 *  tether.events/1 (manifest {"types":["device.*",…]} or {"subscriptions":[{"name","types",
 *  "queue"?,"timeoutSeconds"?}]}) subscribes the plugin to host events; each subscription has
 *  its own bounded queue, delivered one event at a time, in order; a full queue drops events.
 *  The reply is a JSON value. On failure, reply with a non-zero status and a JSON body
 *  {"error":"<message>","code":"<machine-readable code>"}.
 *
 *  http.request carries "method" (upper case), "path" (as received: percent-encoded, no query),
 *  "mount" (the matched prefix), "query" (raw, no '?'), "headers" (lower-case name -> string;
 *  repeated fields joined with ", "), "body_base64" and, when known, "remoteAddress". The
 *  plugin replies TETHER_OK with {"status":100..599,"headers":{name:string},"body_base64":"…"}
 *  or "body_json":<any JSON> (sent as application/json unless a content-type is given) or
 *  neither (empty body). The host owns framing headers (content-length, transfer-encoding,
 *  connection) and answers 502/503/504 itself when the plugin fails or misses its deadline.
 *
 *  Host commands submitted through host->submit are JSON objects {"command":"<name>","args":{…}}
 *  and complete with the command's JSON result or an error body as above. "host.commands"
 *  lists every command the host and the loaded plugins offer.
 * ---------------------------------------------------------------------------------------------
 */
#ifndef TETHER_PLUGIN_H
#define TETHER_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version constants are plain literals: Swift does not import macro expressions. */
#define TETHER_ABI_VERSION_MAJOR 1u
#define TETHER_ABI_VERSION_MINOR 1u
#define TETHER_ABI_VERSION 0x00010001u /* (MAJOR << 16) | MINOR */

/* The one exported function: a function rather than data, so dlsym() is well defined. */
#define TETHER_ENTRY_SYMBOL "tether_plugin_entry"

#if defined(__GNUC__) || defined(__clang__)
#define TETHER_EXPORT __attribute__((visibility("default")))
#else
#define TETHER_EXPORT
#endif

/* Status codes (int32_t). >= 0 is success. */
#define TETHER_OK 0
#define TETHER_ERR_GENERIC -1     /* failure; the JSON body says why */
#define TETHER_ERR_BAD_REQUEST -2 /* malformed or invalid request */
#define TETHER_ERR_UNSUPPORTED -3 /* unknown op, command or extension */
#define TETHER_ERR_ABI -4         /* version or struct-size mismatch */
#define TETHER_ERR_SHUTDOWN -5    /* instance is being destroyed */
#define TETHER_ERR_CANCELLED -6   /* cancelled through cancel() */
#define TETHER_ERR_BUSY -7        /* back-pressure: try again later */
#define TETHER_ERR_TIMEOUT -8     /* deadline passed */
#define TETHER_ERR_NOT_FOUND -9   /* the named object does not exist */

/* Log levels for host->log. */
#define TETHER_LOG_TRACE 0
#define TETHER_LOG_DEBUG 1
#define TETHER_LOG_INFO 2
#define TETHER_LOG_WARN 3
#define TETHER_LOG_ERROR 4

/* Extension ids a plugin may answer in get_extension(). Each returns a tether_extension_v1
 * whose manifest describes the contribution (formats in README "Extensions"). */
#define TETHER_EXT_COMMANDS "tether.commands/1"             /* {"commands":[{"name","summary"}]} */
#define TETHER_EXT_POWER_ACTIONS "tether.power-actions/1"   /* {"actions":[{"code","name","description"}]} */
#define TETHER_EXT_PROFILE_POLICY "tether.profile-policy/1" /* {"modes":["acmactivate"|"ccmactivate"]} */
#define TETHER_EXT_FRONTEND_HTTP "tether.frontend.http/1"   /* {"name":"rest","mount":"/api/v1"} */

/* Completion callback. [any-thread] Called exactly once per accepted request.
 * `json` (UTF-8, not NUL-terminated, may be NULL when json_len is 0) is borrowed until return. */
typedef void (*tether_complete_fn)(void *cb_ctx, int32_t status, const uint8_t *json, size_t json_len);

/* The table the host hands to create(). Valid until the instance's destroy() returns. */
typedef struct tether_host_api {
    uint32_t struct_size;
    uint32_t abi_version;
    void *host_ctx;              /* pass back to every function below */
    const char *host_version;    /* static, UTF-8, NUL-terminated, e.g. "0.1.0" */
    /* [thread-safe] Log one message (UTF-8, msg_len bytes) under this plugin's id. */
    void (*log)(void *host_ctx, int32_t level, const char *msg, size_t msg_len);
    /* [thread-safe] Run a host command: json = {"command":"…","args":{…}}. Same completion
     * contract as handle(): TETHER_OK => cb exactly once; error return => cb never called. */
    int32_t (*submit)(void *host_ctx, const uint8_t *json, size_t json_len,
                      tether_complete_fn cb, void *cb_ctx);
    /* [thread-safe] Host feature by versioned id; NULL when absent. The pointer is static. */
    const void *(*get_extension)(void *host_ctx, const char *id);
    /* [thread-safe] Memory that outlives a call and that the other side may release. */
    void *(*alloc)(void *host_ctx, size_t size);
    void (*release)(void *host_ctx, void *ptr);
    /* ---- v1.0 ends here; append new fields below ---- */

    /* ---- v1.1: deadlines and cancellation (check TETHER_HAS_FIELD before use) ---- */
    /* [thread-safe] The clock every deadline is measured on: CLOCK_MONOTONIC, nanoseconds. */
    uint64_t (*now_ns)(void *host_ctx);
    /* [thread-safe] submit() on behalf of the request `parent_request_id` (the id handle()
     * received; 0 = on the plugin's own account). The command's deadline is the parent's
     * deadline, or `deadline_ns` (absolute, now_ns() clock) when that is earlier; 0 inherits.
     * A plugin may shorten its budget, never extend it. Cancelling or timing out the parent
     * cancels the command. On TETHER_OK, *out_submit_id (if not NULL) receives an id for
     * cancel_submit() and cb fires exactly once. Refused (cb never called) with
     * TETHER_ERR_CANCELLED when the parent already finished, was cancelled or timed out,
     * TETHER_ERR_TIMEOUT when the deadline has already passed. */
    int32_t (*submit_within)(void *host_ctx, uint64_t parent_request_id, uint64_t deadline_ns,
                             const uint8_t *json, size_t json_len, tether_complete_fn cb, void *cb_ctx,
                             uint64_t *out_submit_id);
    /* [thread-safe] Best effort: cb still fires exactly once (TETHER_ERR_CANCELLED or the
     * command's result). Unknown or finished ids are ignored. */
    void (*cancel_submit)(void *host_ctx, uint64_t submit_id);
    /* [thread-safe] The absolute deadline (now_ns() clock) of a request this plugin is handling;
     * 0 when the id is unknown or finished. Also sent in the request as "deadline_ms". */
    uint64_t (*request_deadline_ns)(void *host_ctx, uint64_t request_id);
    /* ---- v1.1 ends here; append new fields below ---- */
} tether_host_api;

/* What a plugin's entry function returns. Static for the life of the process. */
typedef struct tether_plugin_descriptor {
    uint32_t struct_size;
    uint32_t abi_version;    /* the TETHER_ABI_VERSION the plugin was built against */
    const char *id;          /* reverse-DNS, unique, e.g. "com.example.signage" */
    const char *name;        /* human readable */
    const char *version;     /* the plugin's own version, e.g. "1.2.0" */
    uint64_t reserved_flags; /* must be 0 in v1 */

    /* [host-serialized] Create an instance. config_json ({} when none) is borrowed.
     * On failure return an error status and leave *out_instance untouched. */
    int32_t (*create)(const tether_host_api *host, const uint8_t *config_json, size_t config_len,
                      void **out_instance);
    /* [host-serialized] Cancel or drain in-flight work, then free. No callbacks after return. */
    void (*destroy)(void *instance);
    /* [thread-safe] Handle one request (see REQUESTS above). request_id is unique per host.
     * TETHER_OK => cb exactly once (any thread, maybe before return). Error => cb never. */
    int32_t (*handle)(void *instance, uint64_t request_id, const uint8_t *json, size_t json_len,
                      tether_complete_fn cb, void *cb_ctx);
    /* [thread-safe] Best effort. The request's callback still fires exactly once, with
     * TETHER_ERR_CANCELLED or its normal result. Unknown ids are ignored. */
    void (*cancel)(void *instance, uint64_t request_id);
    /* [thread-safe] The plugin's contribution for a versioned id, or NULL. Static pointer. */
    const void *(*get_extension)(void *instance, const char *id);
    /* ---- v1.0 ends here; append new fields below ---- */
} tether_plugin_descriptor;

/* A contribution: a JSON manifest (static, UTF-8) describing what the plugin offers under one
 * extension id. The work itself is requested through handle(). */
typedef struct tether_extension_v1 {
    uint32_t struct_size;
    uint32_t abi_version;
    const char *manifest_json;
    size_t manifest_len;
    /* ---- v1.0 ends here; append new fields below ---- */
} tether_extension_v1;

/* The exported entry: return the descriptor, or NULL to refuse a host of this ABI version. */
typedef const tether_plugin_descriptor *(*tether_entry_fn)(uint32_t host_abi_version);

/* True when `ptr` (a struct with struct_size first) is large enough to hold `field`. */
#define TETHER_HAS_FIELD(ptr, type, field) \
    ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

#ifdef __cplusplus
}
#endif

#endif /* TETHER_PLUGIN_H */
