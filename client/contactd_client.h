/*
 * contactd_client.h: the C interface of the contactd client
 * (libcontactd_client.so), for telephony modules written in C (Kamailio,
 * FreeSWITCH, Asterisk) and for any language with a C FFI.
 *
 *   contactd_error err;
 *   contactd_client* c = contactd_connect("127.0.0.1:7600", token, &err);
 *   if (c == NULL) { log("contactd: %s: %s", err.reason_name, err.message); }
 *
 *   contactd_result r;
 *   int rc = contactd_lookup_phone(c, tenant, "+15551234567", NULL, &r);
 *   if (rc == CONTACTD_OK) {
 *     use(r.contact.display_name, r.contact.company, r.match_count);
 *   } else if (rc == CONTACTD_NOT_FOUND) {
 *     ...unknown caller...
 *   } else {
 *     log("%s %s: %s", contactd_code_name(rc), r.error.reason_name,
 *         r.error.message);
 *   }
 *   contactd_result_free(&r);   (after every call that filled a result)
 *   contactd_close(c);
 *
 * Errors: every call returns a contactd_code (CONTACTD_OK = 0) and fills a
 * contactd_error: the code, contactd's reason (which rule failed, e.g.
 * "INVALID_PHONE", "CONTACT_NOT_FOUND"; "" when none) and a message. The
 * codes are the values of absl::StatusCode (and gRPC). CONTACTD_UNAVAILABLE
 * means the server could not be reached or the connection broke during the
 * call; the next call reconnects (and authenticates again) by itself.
 *
 * Strings are NUL-terminated UTF-8 and never NULL in a result ("" when
 * empty). A result's memory belongs to the result until
 * contactd_result_free(); the strings of an error are inside the struct.
 *
 * Thread safety: a contactd_client may be used from several threads at once
 * (calls are pipelined on its one connection); each call blocks its calling
 * thread until the reply, the error, or the request timeout. A result or an
 * error struct belongs to the one thread that passed it. contactd_close()
 * must not race with other calls on the same client.
 * NOTE: each client runs one background I/O thread. Do not fork() with an
 * open client: connect in each worker process, after the fork (Kamailio:
 * child_init; Asterisk/FreeSWITCH: module load).
 *
 * No C++ exception ever crosses this interface.
 */
#ifndef CONTACTD_CLIENT_H_
#define CONTACTD_CLIENT_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CONTACTD_API __attribute__((visibility("default")))
#else
#define CONTACTD_API
#endif

/* Status codes (the values of absl::StatusCode; do not change). */
typedef enum contactd_code {
  CONTACTD_OK = 0,
  CONTACTD_CANCELLED = 1,
  CONTACTD_UNKNOWN = 2,
  CONTACTD_INVALID_ARGUMENT = 3,
  CONTACTD_DEADLINE_EXCEEDED = 4,
  CONTACTD_NOT_FOUND = 5,
  CONTACTD_ALREADY_EXISTS = 6,
  CONTACTD_PERMISSION_DENIED = 7,
  CONTACTD_RESOURCE_EXHAUSTED = 8,
  CONTACTD_FAILED_PRECONDITION = 9,
  CONTACTD_ABORTED = 10,
  CONTACTD_OUT_OF_RANGE = 11,
  CONTACTD_UNIMPLEMENTED = 12,
  CONTACTD_INTERNAL = 13,
  CONTACTD_UNAVAILABLE = 14,
  CONTACTD_DATA_LOSS = 15,
  CONTACTD_UNAUTHENTICATED = 16
} contactd_code;

typedef struct contactd_error {
  int code;             /* contactd_code */
  int reason;           /* contactd reason number; 0 = none */
  char reason_name[40]; /* e.g. "CONTACT_NOT_FOUND"; "" = none */
  char message[512];    /* human-readable; cut to fit */
} contactd_error;

typedef struct contactd_phone {
  const char* id;
  const char* number;      /* as entered */
  const char* number_e164; /* "+15551234567" */
  const char* type;        /* "mobile", "work", "home", "fax", "other" */
  int is_primary;
  int64_t tm_create_us; /* unix microseconds; 0 = unset */
} contactd_phone;

typedef struct contactd_email {
  const char* id;
  const char* address;
  const char* type; /* "work", "personal", "other" */
  int is_primary;
  int64_t tm_create_us;
} contactd_email;

typedef struct contactd_contact {
  const char* id;
  const char* customer_id; /* the tenant */
  const char* first_name;
  const char* last_name;
  const char* display_name;
  const char* company;
  const char* job_title;
  const char* source; /* "manual", "import", "api", "sync" */
  const char* external_id;
  const char* notes;
  const char* const* tags;
  size_t tag_count;
  const contactd_phone* phones;
  size_t phone_count;
  const contactd_email* emails;
  size_t email_count;
  int64_t tm_create_us;
  int64_t tm_update_us;
} contactd_contact;

typedef struct contactd_result {
  uint32_t match_count;     /* lookups: contacts that match (>= 1); get: 1 */
  contactd_contact contact; /* the first match; valid on CONTACTD_OK */
  contactd_error error;     /* the failure when the call did not return OK */
  void* internal_;          /* owned memory; contactd_result_free frees it */
} contactd_result;

typedef struct contactd_options {
  const char* client_name; /* for the server's logs; NULL = "contactd-c" */
  int connect_timeout_ms;  /* <= 0: 5000 */
  int request_timeout_ms;  /* <= 0: 5000 */
} contactd_options;

typedef struct contactd_client contactd_client;

/* Connects to `server` ("HOST:PORT"; NULL = "127.0.0.1:7600") and
 * authenticates with `token` (NULL or "" for a server without --tokens).
 * Returns NULL on failure, with `err` (may be NULL) filled. */
CONTACTD_API contactd_client* contactd_connect(const char* server,
                                               const char* token,
                                               contactd_error* err);
/* The same with options (`options` may be NULL). */
CONTACTD_API contactd_client* contactd_connect_with_options(
    const char* server, const char* token, const contactd_options* options,
    contactd_error* err);
/* Closes the connection and frees the client. NULL is ignored. */
CONTACTD_API void contactd_close(contactd_client* client);

/* A round trip to the server. `err` may be NULL. */
CONTACTD_API int contactd_ping(contactd_client* client, contactd_error* err);

/* Looks up the contacts of tenant `tenant` (a UUID) that own the phone
 * number `number` (any format; `region`: ISO 3166 code for a national
 * number, NULL = the server's default). The first match by contactd's
 * lookup order is returned in result->contact; result->match_count counts
 * all. No match: CONTACTD_NOT_FOUND (reason CONTACT_NOT_FOUND). `result`
 * is always initialized: call contactd_result_free() afterwards. */
CONTACTD_API int contactd_lookup_phone(contactd_client* client,
                                       const char* tenant, const char* number,
                                       const char* region,
                                       contactd_result* result);
/* The same by email address (matched case-insensitively). */
CONTACTD_API int contactd_lookup_email(contactd_client* client,
                                       const char* tenant, const char* address,
                                       contactd_result* result);
/* The contact with id `id` (a UUID) of tenant `tenant`. */
CONTACTD_API int contactd_get(contactd_client* client, const char* tenant,
                              const char* id, contactd_result* result);
/* The contact with CRM id `external_id` of tenant `tenant`. */
CONTACTD_API int contactd_get_by_external_id(contactd_client* client,
                                             const char* tenant,
                                             const char* external_id,
                                             contactd_result* result);

/* Frees a result's memory and resets it; safe to call twice. */
CONTACTD_API void contactd_result_free(contactd_result* result);

/* "NOT_FOUND" for CONTACTD_NOT_FOUND; "UNKNOWN" for other values. Static. */
CONTACTD_API const char* contactd_code_name(int code);
/* The library version, e.g. "0.1.0". Static. */
CONTACTD_API const char* contactd_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CONTACTD_CLIENT_H_ */
