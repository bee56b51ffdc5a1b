// The coroutines that serve a connection over plain TCP, compiled apart from the other stream's.
#include "server/connection.h"

namespace pdh::http {

template void Server::Impl::Start<PlainStream>(std::shared_ptr<Session<PlainStream>> c,
                                               std::string remote);

}  // namespace pdh::http
