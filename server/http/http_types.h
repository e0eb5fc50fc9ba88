#pragma once
// The request and response types of the HTTP port (Boost.Beast), and how a
// route hands its answer back to the connection.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include "absl/functional/any_invocable.h"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/string_body.hpp"
#include "protocol/contact_json.h"

namespace contactd::server::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using protocol::Json;

// Delivers the response to one request. Call it once, from any thread: the
// connection takes the response back to its own strand.
using Respond = absl::AnyInvocable<void(Response) &&>;

// A response with a JSON body (version and keep-alive are the connection's
// to set).
Response JsonResponse(unsigned status, const Json& body);

}  // namespace contactd::server::http
