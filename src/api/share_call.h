// A connected system's call (M10), for the handlers that serve one: who it is, the grant it
// acts under, the purpose it stated; and the call put on the audit log with its digests.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "api/api.h"
#include "share/share.h"

namespace pdh::api {

struct ClientCall {
  share::Client client;
  share::Grant grant;
  std::string purpose;
};

// The caller as a connected system acting on `dataset` (reading, or writing when `write`):
// signed in with its token, active, from an allowed address, its purpose stated in X-Purpose and
// held by a grant in force. Throws Failure: 403 share.not_a_client, share.client_suspended,
// share.client_revoked, share.address_not_allowed; 400 share.missing_purpose; 403 share.no_grant,
// share.purpose_not_granted.
ClientCall RequireClient(Context& ctx, const http::Request& req, const std::string& dataset,
                         bool write);
// The same for a caller that may be a person: nullopt when it is not a connected system.
std::optional<ClientCall> ClientOf(Context& ctx, const http::Request& req,
                                   const std::string& dataset, bool write);
// Appends the exchange to the audit log: client, end user, purpose, case reference, grant, its
// unit, `detail`, and the SHA-256 of the request and of `response`.
void AuditExchange(Context& ctx, const http::Request& req, const ClientCall& call,
                   const std::string& action, const std::string& dataset,
                   const boost::json::object& detail, std::string_view response);

// Sends this hub's values (the federation target's indicators, else those of the open "values"
// publications) to the other hub, in parts; records the time and the result in the settings
// federation.last_push and federation.last_result. Errors: share.no_federation (no target, or
// nothing to send), share.federation_failed (502: the other hub refused or was not reached).
Result<boost::json::object> PushFederation(Context& ctx);

}  // namespace pdh::api
