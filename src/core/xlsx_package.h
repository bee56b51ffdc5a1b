// The package inside an .xlsx file: XML parts parsed with expat as libzip reads them, in fixed
// chunks, and the relationships that say which part is the workbook, a sheet or the styles.
// Private to the XLSX reader (core/xlsx.cc).
#pragma once

#include <expat.h>
#include <zip.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/xlsx.h"

namespace pdh::xlsx_package {

// xlsx.malformed, naming the part (and, from XmlPart, the line).
Error Malformed(std::string_view part, std::string why);

// Expat runs with namespace processing, so names arrive as "uri|local"; parts are read by
// local name only, which accepts both <row> and <x:row>.
std::string_view LocalName(const XML_Char* name);
// The value of the attribute with that local name, or "" when it is absent.
std::string_view Attr(const XML_Char** attrs, std::string_view local);

// The whole of `s` as an integer (or double); nullopt otherwise.
template <class Number>
std::optional<Number> ToNumber(std::string_view s) {
  Number value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// How far a part may inflate, checked while it is read so that a zip bomb stops early: its
// decompressed bytes, and their ratio to its compressed size (checked once past
// kRatioFloor bytes, as small parts compress unevenly). 0: no limit. Past them Run fails with
// xlsx.too_large (413).
struct PartLimits {
  static constexpr uint64_t kRatioFloor = uint64_t{1} << 20;
  uint64_t max_bytes = 0;
  double max_ratio = 0;
};

class XmlPart;

// Receives a part's elements by local name, and steers the parse through the part.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(XmlPart& part, std::string_view name, const XML_Char** attrs) = 0;
  virtual void End(XmlPart& part, std::string_view name) = 0;
  virtual void Text(std::string_view) {}
};

// One part of the archive, parsed as it is read: memory stays at one chunk (and whatever
// the handler keeps), whatever the part's size. The zip_t must outlive it.
class XmlPart {
 public:
  static constexpr size_t kChunk = size_t{64} * 1024;

  XmlPart(std::string name, XmlHandler& handler, PartLimits limits = {})
      : name_(std::move(name)), handler_(handler), limits_(limits) {}
  ~XmlPart();
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  // False when the archive has no such part (names compare without case).
  bool Open(zip_t* zip);
  // Parses on until a handler calls Pause (true) or the part ends or is stopped (false).
  // xlsx.malformed when the XML is not well-formed, cannot be read, or a handler failed.
  Result<bool> Run();

  // For handlers, during a callback: return from Run after this element; end the part here
  // (nothing more is wanted from it); end it with an xlsx.malformed error.
  void Pause() { XML_StopParser(parser_, XML_TRUE); }
  void Stop() { XML_StopParser(parser_, XML_FALSE); }
  void Fail(std::string why);

  size_t buffer_bytes() const { return chunk_.capacity(); }
  // Decompressed bytes read from the part so far.
  uint64_t inflated() const { return inflated_; }

 private:
  XML_Status Feed();
  std::optional<Error> OverLimit() const;
  std::string Where() const;
  static void OnStart(void* self, const XML_Char* name, const XML_Char** attrs);
  static void OnEnd(void* self, const XML_Char* name);
  static void OnText(void* self, const XML_Char* s, int len);

  std::string name_;
  XmlHandler& handler_;
  PartLimits limits_;
  uint64_t compressed_ = 0;  // the part's compressed size, as the archive states it
  uint64_t inflated_ = 0;
  zip_file_t* file_ = nullptr;
  XML_Parser parser_ = nullptr;
  std::vector<char> chunk_;
  bool suspended_ = false;
  bool final_ = false;  // the last chunk has been handed to expat
  bool done_ = false;
  std::optional<Error> failure_;
};

// Parses a whole part. False when the archive has no such part.
Result<bool> ParsePart(zip_t* zip, const std::string& name, XmlHandler& handler,
                       PartLimits limits = {});

struct Relationship {
  std::string id;
  std::string type;
  std::string target;  // resolved to a path inside the archive
};

// The relationships of one part ("_rels/.rels" for the package itself).
struct Relationships {
  std::vector<Relationship> rels;

  // The target of the first relationship whose type ends with "/" + `kind`
  // ("officeDocument", "sharedStrings", "styles").
  std::optional<std::string> TargetOfType(std::string_view kind) const;
  const Relationship* Find(std::string_view id) const;
};

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"; "" (the package) -> "_rels/.rels".
std::string RelsPathFor(std::string_view part);
// The relationships of `source_part`; none when it has no .rels part.
Result<Relationships> ReadRels(zip_t* zip, std::string_view source_part, PartLimits limits = {});

}  // namespace pdh::xlsx_package
