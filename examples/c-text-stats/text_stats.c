/*
 * text-stats: a Tether plugin in plain C (only libc), built with
 *     cc -shared -fPIC -fvisibility=hidden -I../../Sources/CTetherABI/include text_stats.c -o libtext_stats.so
 * (or `make`). Load it with `tether serve --plugins examples/c-text-stats`.
 *
 * It contributes one host command, `example.text-stats`, which takes {"text": "..."} and
 * returns {"bytes":N,"lines":N,"words":N,"crc32":N}: computed data, answered synchronously.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tether_plugin.h"

typedef struct instance {
    const tether_host_api *host;
    atomic_ulong served;
} instance;

static const char manifest[] =
    "{\"commands\":[{\"name\":\"example.text-stats\","
    "\"summary\":\"Count bytes, lines and words of a text and compute its CRC-32 (C example plugin)\"}]}";

static const tether_extension_v1 commands_extension = {
    sizeof(tether_extension_v1), TETHER_ABI_VERSION, manifest, sizeof(manifest) - 1};

static void reply(tether_complete_fn cb, void *cb_ctx, int32_t status, const char *json) {
    cb(cb_ctx, status, (const uint8_t *)json, strlen(json));
}

/* Decodes the JSON string that starts at `p` (just after its opening quote) into `out`.
 * Handles the escapes \" \\ \/ \n \t \r \b \f and \u00XX; returns the decoded length or -1. */
static long decode_string(const char *p, const char *end, char *out, size_t cap) {
    size_t n = 0;
    while (p < end && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            if (p >= end) return -1;
            char e = *p++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u':
                if (end - p < 4 || strncmp(p, "00", 2) != 0) return -1; /* only \u00XX here */
                c = (char)strtol((char[]){p[2], p[3], 0}, NULL, 16);
                p += 4;
                break;
            default: c = e; break; /* \" \\ \/ */
            }
        }
        if (n >= cap) return -1;
        out[n++] = c;
    }
    return (p < end) ? (long)n : -1;
}

static uint32_t crc32(const unsigned char *data, size_t len) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static int32_t plugin_create(const tether_host_api *host, const uint8_t *config, size_t config_len, void **out) {
    (void)config; (void)config_len;
    if (!TETHER_HAS_FIELD(host, tether_host_api, release)) return TETHER_ERR_ABI;
    instance *self = calloc(1, sizeof(instance));
    if (!self) return TETHER_ERR_GENERIC;
    self->host = host;
    host->log(host->host_ctx, TETHER_LOG_INFO, "text-stats ready", strlen("text-stats ready"));
    *out = self;
    return TETHER_OK;
}

static void plugin_destroy(void *raw) { free(raw); /* requests complete synchronously: nothing to drain */ }

static int32_t plugin_handle(void *raw, uint64_t request_id, const uint8_t *json, size_t len,
                             tether_complete_fn cb, void *cb_ctx) {
    (void)request_id;
    instance *self = raw;
    const char *begin = (const char *)json, *end = begin + len;
    const char *key = memmem(begin, len, "\"text\":\"", 8);
    if (!memmem(begin, len, "\"command\":\"example.text-stats\"", 30) || !key) {
        reply(cb, cb_ctx, TETHER_ERR_BAD_REQUEST,
              "{\"error\":\"example.text-stats needs {\\\"text\\\": string}\",\"code\":\"bad_request\"}");
        return TETHER_OK;
    }
    static _Thread_local char text[65536];
    long n = decode_string(key + 8, end, text, sizeof text);
    if (n < 0) {
        reply(cb, cb_ctx, TETHER_ERR_BAD_REQUEST, "{\"error\":\"text is malformed or over 64 KiB\",\"code\":\"bad_request\"}");
        return TETHER_OK;
    }
    unsigned long lines = 0, words = 0;
    int in_word = 0;
    for (long i = 0; i < n; i++) {
        if (text[i] == '\n') lines++;
        int space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r';
        if (!space && !in_word) words++;
        in_word = !space;
    }
    if (n > 0 && text[n - 1] != '\n') lines++;
    char out[160];
    snprintf(out, sizeof out, "{\"bytes\":%ld,\"lines\":%lu,\"words\":%lu,\"crc32\":%lu,\"served\":%lu}", n, lines,
             words, (unsigned long)crc32((const unsigned char *)text, (size_t)n), atomic_fetch_add(&self->served, 1) + 1);
    reply(cb, cb_ctx, TETHER_OK, out);
    return TETHER_OK;
}

static void plugin_cancel(void *raw, uint64_t request_id) { (void)raw; (void)request_id; }

static const void *plugin_get_extension(void *raw, const char *id) {
    (void)raw;
    return strcmp(id, TETHER_EXT_COMMANDS) == 0 ? &commands_extension : NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_VERSION, "io.tether.example.text-stats", "Text statistics (C example)",
    "1.0.0", 0, plugin_create, plugin_destroy, plugin_handle, plugin_cancel, plugin_get_extension};

TETHER_EXPORT const tether_plugin_descriptor *tether_plugin_entry(uint32_t host_abi_version) {
    return (host_abi_version >> 16) == TETHER_ABI_VERSION_MAJOR ? &descriptor : NULL;
}
