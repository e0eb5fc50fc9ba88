/*
 * lookup_example: caller-ID enrichment the way a telephony module (Kamailio,
 * FreeSWITCH, Asterisk) would do it, with libcontactd_client.so.
 *
 *   lookup_example SERVER TENANT NUMBER [REGION]
 *   CONTACTD_TOKEN=... lookup_example 127.0.0.1:7600 \
 *       0b7e3f4c-9a2d-4c1e-8f00-1234567890ab +15551234567
 *
 * Prints "key=value" lines (display_name, company, contact_id, matches,
 * tags, primary_phone); exits 0 when found, 1 when not found, 2 on an error
 * (printed on stderr as "lookup_example: CODE REASON: message").
 *
 * Build: cc -std=c11 lookup_example.c -I client -lcontactd_client
 */
#include <stdio.h>
#include <stdlib.h>

#include "contactd_client.h"

static void print_contact(const contactd_result* r) {
  const contactd_contact* c = &r->contact;
  size_t i;
  printf("display_name=%s\n", c->display_name);
  printf("company=%s\n", c->company);
  printf("contact_id=%s\n", c->id);
  printf("matches=%u\n", (unsigned)r->match_count);
  printf("tags=");
  for (i = 0; i < c->tag_count; ++i) {
    printf("%s%s", i > 0 ? "," : "", c->tags[i]);
  }
  printf("\n");
  for (i = 0; i < c->phone_count; ++i) {
    if (c->phones[i].is_primary) {
      printf("primary_phone=%s (%s)\n", c->phones[i].number_e164,
             c->phones[i].type);
    }
  }
}

int main(int argc, char** argv) {
  contactd_error err;
  contactd_result result;
  contactd_client* client;
  int rc;

  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: %s SERVER TENANT NUMBER [REGION]\n", argv[0]);
    return 2;
  }
  client = contactd_connect(argv[1], getenv("CONTACTD_TOKEN"), &err);
  if (client == NULL) {
    fprintf(stderr, "lookup_example: %s %s: %s\n", contactd_code_name(err.code),
            err.reason_name, err.message);
    return 2;
  }
  rc = contactd_lookup_phone(client, argv[2], argv[3],
                             argc == 5 ? argv[4] : NULL, &result);
  if (rc == CONTACTD_OK) {
    print_contact(&result);
  } else if (rc == CONTACTD_NOT_FOUND) {
    printf("not_found=%s\n", argv[3]);
  } else {
    fprintf(stderr, "lookup_example: %s %s: %s\n", contactd_code_name(rc),
            result.error.reason_name, result.error.message);
  }
  contactd_result_free(&result);
  contactd_close(client);
  return rc == CONTACTD_OK ? 0 : (rc == CONTACTD_NOT_FOUND ? 1 : 2);
}
