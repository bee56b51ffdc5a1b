// The coroutines that serve a connection over TLS, compiled apart from the other stream's.
#include "server/connection.h"

namespace pdh::http {

template void Server::Impl::Start<TlsStream>(std::shared_ptr<Session<TlsStream>> c,
                                             std::string remote);

}  // namespace pdh::http
