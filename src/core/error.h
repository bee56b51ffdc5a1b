// Errors a user can cause, as values: a stable machine code, a message that says what to do,
// and the HTTP status the server answers with. Exceptions (Failure) only end a request or a
// command; they are caught at the top (server connection, CLI main) and turned into a response.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace pdh {

struct Error {
  std::string code;     // stable, dotted: "unit.not_found", "request.invalid_json", ...
  std::string message;  // for a person: what is wrong and what to do
  int status = 400;     // HTTP status when it reaches the API

  static Error NotFound(std::string code, std::string message) {
    return {std::move(code), std::move(message), 404};
  }
  static Error Invalid(std::string code, std::string message) {
    return {std::move(code), std::move(message), 422};
  }
  static Error BadRequest(std::string code, std::string message) {
    return {std::move(code), std::move(message), 400};
  }
  static Error Conflict(std::string code, std::string message) {
    return {std::move(code), std::move(message), 409};
  }
  static Error Internal(std::string code, std::string message) {
    return {std::move(code), std::move(message), 500};
  }
};

// Result<T>: a T or an Error (check, then * or ->); Status: nothing or an Error. Both are
// tl::expected with its whole interface, made a type of their own so that they can be
// [[nodiscard]]: a call whose Result or Status is dropped does not compile. Where dropping one
// is right, write it out: `(void)Call();  // why`.
template <class T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
};
using Status = Result<void>;

inline tl::unexpected<Error> Fail(Error e) {
  return tl::unexpected<Error>(std::move(e));
}
inline Status Ok() {
  return {};
}

// Thrown to end the current operation with `error`; caught at the top.
class Failure : public std::runtime_error {
 public:
  explicit Failure(Error e) : std::runtime_error(e.message), error_(std::move(e)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// Unwraps a Result or throws its error as a Failure.
template <class T>
T Must(Result<T> r) {
  if (!r) throw Failure(std::move(r.error()));
  return std::move(*r);
}
inline void Must(Status s) {
  if (!s) throw Failure(std::move(s.error()));
}

}  // namespace pdh
