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
 *  asked; the other members are the op's arguments (see README "Extensions (contributions)"):
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
 *  connection) and answers 502/503/504 itself when the plugin fails or misses its deadline,
 *  rendered as the manifest declares: {"name","mount","failureBodies":{"timeout":R,
 *  "unavailable":R,"failure":R}} where each R is a reply as above (status defaults 504, 503,
 *  502) and "{message}" in any string of its body_json or headers becomes the host's reason.
 *  Undeclared: a text/plain body "<status> <reason phrase>: <reason>". Other manifest keys:
 *  "auth":"bearer", "public":[{"method","path"}], "unauthorized":R (README "REST API").
 *  Every response carries X-Request-Id; the request's "headers" hold the same "x-request-id".
 *
 *  Host commands submitted through host->submit are JSON objects {"command":"<name>","args":{…}}
 *  and complete with the command's JSON result or an error body as above. "host.commands"
 *  lists every command the host and the loaded plugins offer.
 *
 * ERROR VOCABULARY (the "code" of every error body: a closed set, the TETHER_CODE_* strings)
 *  bad_request   the arguments are invalid (validation: "detail":[{"field","message"}…];
 *                a wrongly typed argument of a typed C command names it in "field")
 *  not_found     the named object does not exist ("detail":{"entity":…} when known)
 *  conflict      clashes with the current state ("detail":{"reason":"duplicate"|"in_use"|
 *                "stale_version", "version"?, "current"?})
 *  timeout       the deadline passed          not_connected  the device has no CIRA tunnel
 *  device_error  the device refused or answered unusably ("detail" carries its answer)
 *  unauthorized  credentials were refused     unavailable    missing, busy or shutting down
 *  cancelled     the caller went away         plugin_failure a plugin failed or answered badly
 *  unsupported   no such command, op or extension             internal  a bug in the host
 *  ("bad_request" also carries "detail":{"reason":"invalid_reference"} for a dangling link.)
 *  Codes and details are neutral: no HTTP status, no front end's wording. Front ends (the REST
 *  plugin) map them to their own dialect. ABI 1.0's "device_failure" is read as "device_error".
 *
 * DEADLINES (ABI 1.1)
 *  Every request handed to handle() carries its absolute deadline: "deadline_ms" (CLOCK_MONOTONIC
 *  milliseconds, the clock of host->now_ns) and the budget left when it was sent, "timeout_ms".
 *  Commands submitted with host->submit_within(request_id, …) inherit it (a plugin may ask for
 *  an earlier one, never a later one); when the request is cancelled or times out, the host
 *  calls cancel() on the plugin AND cancels every command it submitted for that request, and
 *  refuses further submits for it (TETHER_ERR_CANCELLED). A completion after the deadline is
 *  dropped and logged by the host; it is never a crash. v1.0's host->submit runs a command on
 *  the plugin's own account, linked to no request. Default budgets: see README "Deadlines and cancellation (ABI 1.1)".
 *
 * WHAT THE HOST GUARANTEES
 *  - No handle() or cancel() call runs, or starts, once destroy() has begun; destroy() is called
 *    once, off the host's cooperative pool (it may wait for the plugin's own threads).
 *  - cancel() may be called for an id that already completed (ignore it); completing the
 *    request from inside cancel() is allowed.
 *  - The callback context the host passes to handle() is not a pointer into host memory: a
 *    duplicate or late callback is dropped and logged.
 *  - host->alloc/release: memory that must outlive a call and be freed by the other side. No
 *    v1.x function hands such blocks across today; they exist for extensions that will.
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

/* The error vocabulary: the "code" member of every error body (see ERROR VOCABULARY). */
#define TETHER_CODE_BAD_REQUEST "bad_request"
#define TETHER_CODE_NOT_FOUND "not_found"
#define TETHER_CODE_CONFLICT "conflict"
#define TETHER_CODE_TIMEOUT "timeout"
#define TETHER_CODE_NOT_CONNECTED "not_connected"
#define TETHER_CODE_DEVICE_ERROR "device_error"
#define TETHER_CODE_UNAUTHORIZED "unauthorized"
#define TETHER_CODE_UNAVAILABLE "unavailable"
#define TETHER_CODE_CANCELLED "cancelled"
#define TETHER_CODE_PLUGIN_FAILURE "plugin_failure"
#define TETHER_CODE_UNSUPPORTED "unsupported"
#define TETHER_CODE_INTERNAL "internal"

/* Log levels for host->log. */
#define TETHER_LOG_TRACE 0
#define TETHER_LOG_DEBUG 1
#define TETHER_LOG_INFO 2
#define TETHER_LOG_WARN 3
#define TETHER_LOG_ERROR 4

/* Extension ids a plugin may answer in get_extension(). Each returns a tether_extension_v1
 * whose manifest describes the contribution (formats in README "Extensions (contributions)"). */
#define TETHER_EXT_COMMANDS "tether.commands/1"             /* {"commands":[{"name","summary"}]} */
#define TETHER_EXT_POWER_ACTIONS "tether.power-actions/1"   /* {"actions":[{"code","name","description"}]} */
#define TETHER_EXT_PROFILE_POLICY "tether.profile-policy/1" /* {"modes":["acmactivate"|"ccmactivate"]} */
#define TETHER_EXT_FRONTEND_HTTP "tether.frontend.http/1"   /* {"name":"rest","mount":"/api/v1","failureBodies"?…} */

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

/* =============================================================================================
 * TYPED C COMMANDS (ABI 1.1): plain C functions instead of JSON parsing.
 *
 * A plugin answers get_extension(TETHER_EXT_C_COMMANDS) with a tether_c_commands_v1 listing
 * {name, summary, signature, function}. The host checks every signature at load: one it cannot
 * read (an unknown type, say) refuses THAT command, with the reason shown in `tether plugins
 * list` (contributions."tether.c-commands/1".refused); the others load. A call's JSON arguments
 * are decoded by name into C values (a missing or wrongly typed one is a bad_request naming it),
 * the function is called through libffi, and its return value becomes {"result": value}.
 *
 * Signature: "<return> (<type> <name>, …)", e.g. "int64 (int64 a, int64 b)", "double ()".
 *   parameter types: bool (C bool), int32, uint32, int64, uint64, double,
 *                    string (const char *: NUL-terminated UTF-8, borrowed for the call),
 *                    json (const char *: the argument's JSON text, borrowed for the call)
 *   return types:    void ({}), bool, int32, uint32, int64, uint64, double,
 *                    string (char * from host->alloc, released by the host; NULL = failure)
 *   asynchronous:    last parameter "reply" (C type tether_reply *), return type void. The
 *                    function returns at once and answers later, exactly once, from any
 *                    thread, with tether_c_host_v1.reply / reply_error. An answer after the
 *                    deadline is dropped and logged.
 * Synchronous functions run on the host's cooperative pool: they must not block. Functions are
 * never called once destroy() has begun.
 * ============================================================================================= */
#define TETHER_EXT_C_COMMANDS "tether.c-commands/1"

typedef struct tether_reply tether_reply; /* opaque: the pending answer of an asynchronous command */

typedef struct tether_c_command {
    const char *name;       /* command name, e.g. "example.add" */
    const char *summary;    /* one line for "host.commands" */
    const char *signature;  /* see above */
    void (*function)(void); /* the function, cast: (void (*)(void))my_function */
} tether_c_command;

typedef struct tether_c_commands_v1 {
    uint32_t struct_size;
    uint32_t abi_version;
    const tether_c_command *commands; /* static */
    size_t count;
    /* ---- v1.1 ends here; append new fields below ---- */
} tether_c_commands_v1;

/* =============================================================================================
 * C HELPERS (ABI 1.1): host->get_extension(host->host_ctx, TETHER_HOST_EXT_C_HELPERS) returns a
 * static tether_c_host_v1 so that C plugins call host commands with named, typed arguments and
 * read replies by path — no hand-built JSON, no memmem.
 * ============================================================================================= */
#define TETHER_HOST_EXT_C_HELPERS "tether.c-host/1"

typedef struct tether_json tether_json; /* opaque: a parsed JSON value owned by the host */

/* One named argument (or reply field). Build them with the TETHER_* macros below. Inside a
 * TETHER_ARRAY the names are ignored (NULL is fine). Nesting is limited to 16 levels. */
typedef struct tether_arg {
    const char *name;
    int32_t type;                  /* TETHER_ARG_* */
    int64_t integer;               /* INT, BOOL; OBJECT, ARRAY: the number of `items` */
    double number;                 /* DOUBLE */
    const char *text;              /* STRING (UTF-8, NUL-terminated); VALUE: the path in `value` */
    const tether_json *value;      /* VALUE: a (part of a) parsed reply, copied */
    const struct tether_arg *items; /* OBJECT: its members; ARRAY: its elements */
} tether_arg;

#define TETHER_ARG_INT 1
#define TETHER_ARG_DOUBLE 2
#define TETHER_ARG_BOOL 3
#define TETHER_ARG_STRING 4
#define TETHER_ARG_VALUE 5
#define TETHER_ARG_OBJECT 6
#define TETHER_ARG_ARRAY 7
#define TETHER_INT(n, v) {(n), TETHER_ARG_INT, (int64_t)(v), 0.0, NULL, NULL, NULL}
#define TETHER_DOUBLE(n, v) {(n), TETHER_ARG_DOUBLE, 0, (double)(v), NULL, NULL, NULL}
#define TETHER_BOOL(n, v) {(n), TETHER_ARG_BOOL, (v) ? 1 : 0, 0.0, NULL, NULL, NULL}
#define TETHER_STRING(n, v) {(n), TETHER_ARG_STRING, 0, 0.0, (v), NULL, NULL}
#define TETHER_VALUE(n, json, path) {(n), TETHER_ARG_VALUE, 0, 0.0, (path), (json), NULL}
#define TETHER_OBJECT(n, args, count) {(n), TETHER_ARG_OBJECT, (int64_t)(count), 0.0, NULL, NULL, (args)}
#define TETHER_ARRAY(n, args, count) {(n), TETHER_ARG_ARRAY, (int64_t)(count), 0.0, NULL, NULL, (args)}

/* The parsed reply of tether_c_host_v1.call: the command's result, or its error body
 * {"error","code","detail"?} when status < 0. `reply` is valid until the callback returns. */
typedef void (*tether_json_reply_fn)(void *cb_ctx, int32_t status, const tether_json *reply);

typedef struct tether_c_host_v1 {
    uint32_t struct_size;
    uint32_t abi_version;
    /* [thread-safe] Runs host command `command` with the named arguments, for request
     * `request_id` (0: none; deadline and cancellation as submit_within). Same completion
     * contract as submit: TETHER_OK => cb exactly once; an error status => cb never. */
    int32_t (*call)(const tether_host_api *host, uint64_t request_id, const char *command,
                    const tether_arg *args, size_t arg_count, tether_json_reply_fn cb, void *cb_ctx);
    /* Parses JSON (e.g. what handle() received); NULL when malformed. Free with json_free. */
    const tether_json *(*json_parse)(const uint8_t *json, size_t len);
    void (*json_free)(const tether_json *value);
    /* Readers. `path` is dotted ("replyHeader.action", "items.0.name"; "" = the value itself).
     * They return 1, or 0 (leaving *out alone) when the member is missing or of another type. */
    int (*json_int)(const tether_json *value, const char *path, int64_t *out);
    int (*json_double)(const tether_json *value, const char *path, double *out);
    int (*json_bool)(const tether_json *value, const char *path, int *out);
    /* NUL-terminated UTF-8 valid as long as `value` is; NULL when missing or not a string. */
    const char *(*json_string)(const tether_json *value, const char *path);
    /* Completes a request handed to handle() with the object built from `fields` (for an error
     * status: TETHER_STRING("error", …), TETHER_STRING("code", TETHER_CODE_…)). */
    void (*complete)(tether_complete_fn cb, void *cb_ctx, int32_t status, const tether_arg *fields, size_t count);
    /* Answers an asynchronous typed command: an object built from `fields`, or an error. */
    void (*reply)(tether_reply *reply, const tether_arg *fields, size_t count);
    void (*reply_error)(tether_reply *reply, const char *code, const char *message);
    /* ---- v1.1 ends here; append new fields below ---- */
} tether_c_host_v1;

/* The exported entry: return the descriptor, or NULL to refuse a host of this ABI version. */
typedef const tether_plugin_descriptor *(*tether_entry_fn)(uint32_t host_abi_version);

/* True when `ptr` (a struct with struct_size first) is large enough to hold `field`. */
#define TETHER_HAS_FIELD(ptr, type, field) \
    ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

#ifdef __cplusplus
}
#endif

#endif /* TETHER_PLUGIN_H */
