// Reading an .xlsx package: parts streamed from libzip into expat chunk by chunk (pausable, so
// a sheet can be read one row at a time), and relationship targets resolved to archive paths.
#include "core/xlsx_package.h"

#include <algorithm>

namespace pdh::xlsx_package {
namespace {

// "xl/" + "worksheets/sheet1.xml", "xl/" + "/xl/styles.xml", "xl/" + "../docProps/app.xml".
std::string ResolveTarget(std::string_view dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : std::string(dir) + std::string(target);
  std::vector<std::string_view> segments;
  std::string_view rest = joined;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
  }
  std::string out;
  for (std::string_view segment : segments) {
    if (!out.empty()) out += '/';
    out += segment;
  }
  return out;
}

std::string_view DirOf(std::string_view part) {
  size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
}

class RelsHandler : public XmlHandler {
 public:
  explicit RelsHandler(std::string_view source_dir) : dir_(source_dir) {}
  void Start(XmlPart&, std::string_view name, const XML_Char** attrs) override {
    if (name != "Relationship") return;
    found.rels.push_back({std::string(Attr(attrs, "Id")), std::string(Attr(attrs, "Type")),
                          ResolveTarget(dir_, Attr(attrs, "Target"))});
  }
  void End(XmlPart&, std::string_view) override {}

  Relationships found;

 private:
  std::string dir_;
};

}  // namespace

Error Malformed(std::string_view part, std::string why) {
  return Error::Invalid("xlsx.malformed", std::string(part) + ": " + std::move(why) +
                                              "; the file may be damaged, re-export it");
}

std::string_view LocalName(const XML_Char* name) {
  std::string_view s(name);
  size_t bar = s.rfind('|');
  return bar == std::string_view::npos ? s : s.substr(bar + 1);
}

std::string_view Attr(const XML_Char** attrs, std::string_view local) {
  for (; attrs[0] != nullptr; attrs += 2) {
    if (LocalName(attrs[0]) == local) return attrs[1];
  }
  return {};
}

XmlPart::~XmlPart() {
  if (parser_ != nullptr) XML_ParserFree(parser_);
  if (file_ != nullptr) zip_fclose(file_);
}

bool XmlPart::Open(zip_t* zip) {
  zip_int64_t index = zip_name_locate(zip, name_.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return false;
  file_ = zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
  if (file_ == nullptr) return false;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st) == 0 &&
      (st.valid & ZIP_STAT_COMP_SIZE) != 0) {
    compressed_ = st.comp_size;
  }
  parser_ = XML_ParserCreateNS(nullptr, '|');
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XmlPart::OnStart, &XmlPart::OnEnd);
  XML_SetCharacterDataHandler(parser_, &XmlPart::OnText);
  return true;
}

Result<bool> XmlPart::Run() {
  while (!done_) {
    XML_Status status = Feed();
    if (status == XML_STATUS_SUSPENDED) {
      suspended_ = true;
      return true;
    }
    done_ = status == XML_STATUS_ERROR || final_;
    if (failure_) return pdh::Fail(std::move(*failure_));
    // Stop() ends the parse as "aborted", which is no error.
    if (status == XML_STATUS_ERROR && XML_GetErrorCode(parser_) != XML_ERROR_ABORTED) {
      return pdh::Fail(Malformed(name_, Where() + XML_ErrorString(XML_GetErrorCode(parser_))));
    }
  }
  return false;
}

void XmlPart::Fail(std::string why) {
  failure_ = Malformed(name_, Where() + std::move(why));
  XML_StopParser(parser_, XML_FALSE);
}

// Resumes a paused parse, or hands expat the next chunk (the last one flagged final).
XML_Status XmlPart::Feed() {
  if (suspended_) {
    suspended_ = false;
    return XML_ResumeParser(parser_);
  }
  chunk_.resize(kChunk);
  zip_int64_t got = zip_fread(file_, chunk_.data(), chunk_.size());
  if (got < 0) {
    failure_ = Malformed(name_, std::string("cannot read: ") + zip_file_strerror(file_));
    return XML_STATUS_ERROR;
  }
  final_ = got == 0;
  inflated_ += static_cast<uint64_t>(got);
  if (auto over = OverLimit()) {
    failure_ = std::move(over);
    return XML_STATUS_ERROR;
  }
  return XML_Parse(parser_, chunk_.data(), static_cast<int>(got), final_ ? XML_TRUE : XML_FALSE);
}

std::optional<Error> XmlPart::OverLimit() const {
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  if (limits_.max_bytes != 0 && inflated_ > limits_.max_bytes) {
    return Error{
        std::string(kXlsxTooLarge),
        name_ + " inflates to more than " + std::to_string(limits_.max_bytes / kMiB) + " MiB", 413};
  }
  if (limits_.max_ratio > 0 && inflated_ > PartLimits::kRatioFloor &&
      static_cast<double>(inflated_) >
          limits_.max_ratio * static_cast<double>(std::max<uint64_t>(compressed_, 1))) {
    return Error{std::string(kXlsxTooLarge),
                 name_ + " inflates more than " +
                     std::to_string(static_cast<int64_t>(limits_.max_ratio)) +
                     " times its compressed size (" + std::to_string(compressed_) +
                     " bytes): a zip bomb, not a spreadsheet",
                 413};
  }
  return std::nullopt;
}

std::string XmlPart::Where() const {
  return "line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + ": ";
}

void XmlPart::OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
  auto* part = static_cast<XmlPart*>(self);
  part->handler_.Start(*part, LocalName(name), attrs);
}

void XmlPart::OnEnd(void* self, const XML_Char* name) {
  auto* part = static_cast<XmlPart*>(self);
  part->handler_.End(*part, LocalName(name));
}

void XmlPart::OnText(void* self, const XML_Char* s, int len) {
  static_cast<XmlPart*>(self)->handler_.Text(std::string_view(s, static_cast<size_t>(len)));
}

Result<bool> ParsePart(zip_t* zip, const std::string& name, XmlHandler& handler,
                       PartLimits limits) {
  XmlPart part(name, handler, limits);
  if (!part.Open(zip)) return false;
  while (true) {
    auto more = part.Run();
    if (!more) return pdh::Fail(std::move(more.error()));
    if (!*more) return true;
  }
}

std::optional<std::string> Relationships::TargetOfType(std::string_view kind) const {
  for (const Relationship& rel : rels) {
    std::string_view type = rel.type;
    if (type.ends_with(kind) && type.substr(0, type.size() - kind.size()).ends_with('/')) {
      return rel.target;
    }
  }
  return std::nullopt;
}

const Relationship* Relationships::Find(std::string_view id) const {
  auto it =
      std::find_if(rels.begin(), rels.end(), [&](const Relationship& r) { return r.id == id; });
  return it == rels.end() ? nullptr : &*it;
}

std::string RelsPathFor(std::string_view part) {
  std::string_view dir = DirOf(part);
  return std::string(dir) + "_rels/" + std::string(part.substr(dir.size())) + ".rels";
}

Result<Relationships> ReadRels(zip_t* zip, std::string_view source_part, PartLimits limits) {
  RelsHandler handler(DirOf(source_part));
  auto parsed = ParsePart(zip, RelsPathFor(source_part), handler, limits);
  if (!parsed) return pdh::Fail(std::move(parsed.error()));
  return std::move(handler.found);
}

}  // namespace pdh::xlsx_package
