// The open-data catalogue as DCAT-AP 3.0.1, in Turtle and JSON-LD: one graph of statements
// built once and written in either syntax, so that both say the same. Every node a shape's
// range checks carries its class (a licence is a dct:LicenseDocument, a publisher a foaf:Agent
// with its name, a format a dct:MediaTypeOrExtent, ...), so that the output holds against
// the SHACL shapes of the profile (shapes.ttl, range.ttl) as they are, without inference.
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <utility>

#include "core/text.h"
#include "share/share.h"

namespace pdh::share {
namespace json = boost::json;
namespace {

// The prefixes of the vocabularies used, in the order they are declared.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kDcatPrefixes = {{
    {"dcat", "http://www.w3.org/ns/dcat#"},
    {"dct", "http://purl.org/dc/terms/"},
    {"dcatap", "http://data.europa.eu/r5r/"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},
    {"vcard", "http://www.w3.org/2006/vcard/ns#"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"hydra", "http://www.w3.org/ns/hydra/core#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
}};

// The EU's controlled vocabularies (the Publications Office's authority tables), IANA's media
// types and ADMS's publisher and licence types: the values DCAT-AP asks for.
constexpr std::string_view kDcatEuAuthority = "http://publications.europa.eu/resource/authority/";
constexpr std::string_view kDcatIanaMediaTypes = "https://www.iana.org/assignments/media-types/";
constexpr std::string_view kDcatCkanApiDocs = "https://docs.ckan.org/en/2.10/api/";
constexpr std::string_view kDcatDataPackageSpec = "https://specs.frictionlessdata.io/data-package/";

struct RdfTerm {
  enum class Kind { kIri, kBlank, kLiteral };
  Kind kind = Kind::kIri;
  std::string value;
  std::string lang;      // literal: its language tag, or ""
  std::string datatype;  // literal: its datatype as prefix:name, or ""

  bool operator==(const RdfTerm& o) const {
    return kind == o.kind && value == o.value && lang == o.lang && datatype == o.datatype;
  }
};

// An IRI as Turtle and JSON-LD can both hold it: the characters an IRI may not contain
// (controls, space, <>"{}|^`\) percent-encoded.
std::string RdfIriText(std::string_view iri) {
  static constexpr std::string_view kForbidden = "<>\"{}|^`\\";
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(iri.size());
  for (const char c : iri) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F || kForbidden.find(c) != std::string_view::npos) {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

RdfTerm RdfIri(std::string_view iri) {
  return {RdfTerm::Kind::kIri, RdfIriText(iri), "", ""};
}
// A blank node; `label` of [A-Za-z0-9_-].
RdfTerm RdfBlank(std::string label) {
  return {RdfTerm::Kind::kBlank, std::move(label), "", ""};
}
RdfTerm RdfText(std::string_view value, std::string lang) {
  return {RdfTerm::Kind::kLiteral, text::Nfc(value), std::move(lang), ""};
}
RdfTerm RdfTyped(std::string value, std::string datatype) {
  return {RdfTerm::Kind::kLiteral, std::move(value), "", std::move(datatype)};
}

bool DcatDigits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// An ISO 8601 date or UTC date-time as an xsd:date or xsd:dateTime literal; nullopt when `s`
// is neither (then the statement is left out rather than made invalid).
std::optional<RdfTerm> DcatDate(std::string_view s) {
  auto is_date = [](std::string_view d) {
    return d.size() == 10 && DcatDigits(d.substr(0, 4)) && d[4] == '-' &&
           DcatDigits(d.substr(5, 2)) && d[7] == '-' && DcatDigits(d.substr(8, 2));
  };
  if (is_date(s)) return RdfTyped(std::string(s), "xsd:date");
  if (s.size() < 19 || !is_date(s.substr(0, 10)) || s[10] != 'T') return std::nullopt;
  const std::string_view t = s.substr(11, 8);
  if (!DcatDigits(t.substr(0, 2)) || t[2] != ':' || !DcatDigits(t.substr(3, 2)) || t[5] != ':' ||
      !DcatDigits(t.substr(6, 2))) {
    return std::nullopt;
  }
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    rest.remove_prefix(n);
  }
  const bool zone =
      rest.empty() || rest == "Z" ||
      (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && DcatDigits(rest.substr(1, 2)) &&
       rest[3] == ':' && DcatDigits(rest.substr(4, 2)));
  if (!zone) return std::nullopt;
  return RdfTyped(std::string(s), "xsd:dateTime");
}

// One subject with its classes and statements.
struct RdfNode {
  RdfTerm subject;
  std::vector<std::string> types;                      // prefix:name
  std::vector<std::pair<std::string, RdfTerm>> props;  // predicate (prefix:name), object
};

// A graph of statements grouped by subject in the order they were first made; a statement made
// twice is kept once.
class RdfGraph {
 public:
  // Whether `s` is a subject already (a shared node such as a licence is described once).
  bool Has(const RdfTerm& s) const { return index_.count(Key(s)) != 0; }

  RdfGraph& About(const RdfTerm& s) {
    auto [it, added] = index_.emplace(Key(s), nodes_.size());
    if (added) nodes_.push_back(RdfNode{s, {}, {}});
    current_ = it->second;
    return *this;
  }
  RdfGraph& Type(std::string type) {
    auto& types = nodes_[current_].types;
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      types.push_back(std::move(type));
    }
    return *this;
  }
  RdfGraph& Add(std::string predicate, RdfTerm object) {
    auto& props = nodes_[current_].props;
    for (const auto& [p, o] : props) {
      if (p == predicate && o == object) return *this;
    }
    props.emplace_back(std::move(predicate), std::move(object));
    return *this;
  }
  RdfGraph& Add(std::string predicate, const std::optional<RdfTerm>& object) {
    if (object) Add(std::move(predicate), *object);
    return *this;
  }
  // A text in Vietnamese and, when there is one, in English.
  RdfGraph& AddText(const std::string& predicate, std::string_view vi, std::string_view en) {
    if (!vi.empty()) Add(predicate, RdfText(vi, "vi"));
    if (!en.empty()) Add(predicate, RdfText(en, "en"));
    return *this;
  }

  std::string Turtle() const;
  json::value JsonLd() const;

 private:
  static std::string Key(const RdfTerm& t) {
    return (t.kind == RdfTerm::Kind::kBlank ? "_:" : "<") + t.value;
  }

  std::vector<RdfNode> nodes_;
  std::map<std::string, size_t> index_;
  size_t current_ = 0;
};

// A Turtle string literal: quotes, backslashes and line ends escaped, other control characters
// as a \u escape with four hex digits (U+0001 is \u0001); every other character (Vietnamese
// letters included) as it is.
std::string TurtleString(std::string_view s) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out = "\"";
  out.reserve(s.size() + 2);
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7F) {
          out += "\\u00";
          out += kHex[b >> 4];
          out += kHex[b & 0xF];
        } else {
          out += c;
        }
      }
    }
  }
  out += '"';
  return out;
}

std::string TurtleTerm(const RdfTerm& t) {
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
      return "<" + t.value + ">";
    case RdfTerm::Kind::kBlank:
      return "_:" + t.value;
    case RdfTerm::Kind::kLiteral:
      break;
  }
  std::string out = TurtleString(t.value);
  if (!t.lang.empty()) {
    out += '@';
    out += t.lang;
  } else if (!t.datatype.empty()) {
    out += "^^";
    out += t.datatype;
  }
  return out;
}

std::string RdfGraph::Turtle() const {
  std::string out;
  for (const auto& [prefix, ns] : kDcatPrefixes) {
    out += "@prefix ";
    out += prefix;
    out += ": <";
    out += ns;
    out += "> .\n";
  }
  for (const auto& n : nodes_) {
    out += '\n';
    out += TurtleTerm(n.subject);
    std::string sep = "\n    ";
    if (!n.types.empty()) {
      out += sep + "a ";
      for (size_t i = 0; i < n.types.size(); ++i) {
        if (i > 0) out += ", ";
        out += n.types[i];
      }
      sep = " ;\n    ";
    }
    for (const auto& [p, o] : n.props) {
      out += sep;
      out += p;
      out += ' ';
      out += TurtleTerm(o);
      sep = " ;\n    ";
    }
    out += " .\n";
  }
  return out;
}

json::value JsonLdTerm(const RdfTerm& t) {
  json::object o;
  switch (t.kind) {
    case RdfTerm::Kind::kIri:
      o["@id"] = t.value;
      return o;
    case RdfTerm::Kind::kBlank:
      o["@id"] = "_:" + t.value;
      return o;
    case RdfTerm::Kind::kLiteral:
      break;
  }
  o["@value"] = t.value;
  if (!t.lang.empty()) {
    o["@language"] = t.lang;
  } else if (!t.datatype.empty()) {
    o["@type"] = t.datatype;
  }
  return o;
}

json::value RdfGraph::JsonLd() const {
  json::object context;
  for (const auto& [prefix, ns] : kDcatPrefixes) context[prefix] = ns;
  json::array graph;
  graph.reserve(nodes_.size());
  for (const auto& n : nodes_) {
    json::object node;
    node["@id"] = (n.subject.kind == RdfTerm::Kind::kBlank ? "_:" : "") + n.subject.value;
    if (!n.types.empty()) {
      json::array types;
      for (const auto& t : n.types) types.emplace_back(t);
      node["@type"] = std::move(types);
    }
    for (const auto& [p, o] : n.props) {
      auto& values = node[p];
      if (!values.is_array()) values = json::array();
      values.as_array().push_back(JsonLdTerm(o));
    }
    graph.emplace_back(std::move(node));
  }
  return json::object{{"@context", std::move(context)}, {"@graph", std::move(graph)}};
}

// --- What the catalogue says -------------------------------------------------------------------

std::string DcatDatasetIri(const Site& site, const OpenDataset& d) {
  return site.base_url + "/dataset/" + d.id;
}
std::string DcatOrganizationIri(const Site& site, const std::string& code) {
  return site.base_url + "/organization/" + code;
}
std::string DcatServiceIri(const Site& site) {
  return site.base_url + "/catalog#ckan-api";
}

// A concept of a controlled vocabulary, with the label skos:Concept's shape asks for.
RdfTerm DcatConcept(RdfGraph& g, const std::string& iri, std::string_view label) {
  RdfTerm t = RdfIri(iri);
  if (!g.Has(t)) g.About(t).Type("skos:Concept").Add("skos:prefLabel", RdfText(label, "en"));
  return t;
}

RdfTerm DcatVietnamese(RdfGraph& g) {
  RdfTerm t = RdfIri(std::string(kDcatEuAuthority) + "language/VIE");
  if (!g.Has(t)) {
    g.About(t)
        .Type("dct:LinguisticSystem")
        .Add("skos:prefLabel", RdfText("Vietnamese", "en"))
        .Add("skos:prefLabel", RdfText("Tiếng Việt", "vi"));
  }
  return t;
}

RdfTerm DcatVietNam(RdfGraph& g) {
  RdfTerm t = RdfIri(std::string(kDcatEuAuthority) + "country/VNM");
  if (!g.Has(t)) {
    g.About(t)
        .Type("dct:Location")
        .Add("skos:prefLabel", RdfText("Viet Nam", "en"))
        .Add("skos:prefLabel", RdfText("Việt Nam", "vi"));
  }
  return t;
}

RdfTerm DcatDocument(RdfGraph& g, const std::string& iri) {
  RdfTerm t = RdfIri(iri);
  g.About(t).Type("foaf:Document");
  return t;
}

// The publishing unit: an agent with its name, and a contact point that leads to its page.
// The province itself is typed a regional authority (ADMS's publisher types).
RdfTerm DcatAgent(RdfGraph& g, const Site& site, const std::string& code, const std::string& name) {
  RdfTerm t = RdfIri(DcatOrganizationIri(site, code));
  if (g.Has(t)) return t;
  std::string shown = name;
  if (shown.empty()) shown = code == site.publisher_code ? site.publisher : code;
  if (shown.empty()) shown = site.title;
  std::optional<RdfTerm> type;
  if (code == site.publisher_code) {
    type = DcatConcept(g, "http://purl.org/adms/publishertype/RegionalAuthority",
                       "Regional authority");
  }
  g.About(t)
      .Type("foaf:Agent")
      .Type("foaf:Organization")
      .Add("foaf:name", RdfText(shown, "vi"))
      .Add("dct:type", type);
  return t;
}

RdfTerm DcatContactPoint(RdfGraph& g, const Site& site, const std::string& code,
                         const std::string& name) {
  RdfTerm t = RdfIri(DcatOrganizationIri(site, code) + "#contact");
  if (g.Has(t)) return t;
  std::string shown = name.empty() ? (code == site.publisher_code ? site.publisher : code) : name;
  if (shown.empty()) shown = site.title;
  g.About(t)
      .Type("vcard:Organization")
      .Type("vcard:Kind")
      .Add("vcard:fn", RdfText(shown, "vi"))
      .Add("vcard:hasURL", RdfIri(DcatOrganizationIri(site, code)));
  return t;
}

// The publisher's code and name of a publication: its unit's, else the province's.
std::pair<std::string, std::string> DcatPublisherOf(const Site& site, const OpenDataset& d) {
  if (d.organization.empty()) return {site.publisher_code, site.publisher};
  return {d.organization, d.organization_name};
}

// A licence as the document it is, with its ADMS licence types.
std::optional<RdfTerm> DcatLicence(RdfGraph& g, const std::string& code) {
  const Licence* l = FindLicence(code);
  if (l == nullptr || l->url.empty()) return std::nullopt;
  RdfTerm t = RdfIri(l->url);
  if (g.Has(t)) return t;
  std::vector<RdfTerm> types;
  const std::string adms = "http://purl.org/adms/licencetype/";
  if (code == "CC0-1.0") {
    types.push_back(DcatConcept(g, adms + "PublicDomain", "Public domain"));
  } else {
    types.push_back(DcatConcept(g, adms + "Attribution", "Attribution"));
    if (code == "CC-BY-SA-4.0" || code == "ODbL-1.0") {
      types.push_back(DcatConcept(g, adms + "ShareAlike", "Share-alike"));
    }
  }
  g.About(t).Type("dct:LicenseDocument").Add("dct:identifier", RdfText(l->code, ""));
  if (!l->title.empty()) g.Add("dct:title", RdfText(l->title, "en"));
  for (auto& type : types) g.Add("dct:type", std::move(type));
  return t;
}

struct DcatDistributionForm {
  std::string_view fragment;    // of the dataset's IRI
  std::string_view file;        // under the dataset's download path
  std::string_view file_type;   // the EU file-type authority's code
  std::string_view media_type;  // IANA's
  std::string_view title;
  std::string_view title_en;
};
constexpr std::array<DcatDistributionForm, 4> kDcatDistributionForms = {{
    {"csv", "data.csv", "CSV", "text/csv", "Bảng dữ liệu (CSV)", "Data table (CSV)"},
    {"xlsx", "data.xlsx", "XLSX",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Bảng dữ liệu (Excel)",
     "Data table (Excel)"},
    {"json", "data.json", "JSON", "application/json", "Bảng dữ liệu (JSON)", "Data table (JSON)"},
    {"datapackage", "datapackage.json", "JSON", "application/json",
     "Mô tả gói dữ liệu (Frictionless Data Package)",
     "Data package descriptor (Frictionless Data Package)"},
}};

RdfTerm DcatMediaType(RdfGraph& g, std::string_view type) {
  RdfTerm t = RdfIri(std::string(kDcatIanaMediaTypes) + std::string(type));
  if (!g.Has(t)) g.About(t).Type("dct:MediaType").Type("dct:MediaTypeOrExtent");
  return t;
}

RdfTerm DcatFileType(RdfGraph& g, std::string_view code) {
  RdfTerm t = RdfIri(std::string(kDcatEuAuthority) + "file-type/" + std::string(code));
  if (!g.Has(t)) g.About(t).Type("dct:MediaTypeOrExtent").Add("dct:identifier", RdfText(code, ""));
  return t;
}

RdfTerm DcatStandard(RdfGraph& g, std::string_view iri, std::string_view title) {
  RdfTerm t = RdfIri(iri);
  if (!g.Has(t)) g.About(t).Type("dct:Standard").Add("dct:title", RdfText(title, "en"));
  return t;
}

// The CKAN Action API as a data service over the publications.
RdfTerm DcatCkanService(RdfGraph& g, const Site& site,
                        const std::vector<const OpenDataset*>& served) {
  RdfTerm t = RdfIri(DcatServiceIri(site));
  const RdfTerm publisher = DcatAgent(g, site, site.publisher_code, site.publisher);
  const RdfTerm contact = DcatContactPoint(g, site, site.publisher_code, site.publisher);
  const RdfTerm standard = DcatStandard(g, kDcatCkanApiDocs, "CKAN API 2.10");
  g.About(t)
      .Type("dcat:DataService")
      .AddText("dct:title", "Giao diện lập trình CKAN của cổng dữ liệu mở", "Open data CKAN API")
      .AddText("dct:description",
               "Đọc danh mục và dữ liệu của cổng theo giao diện Action API của CKAN 2.10 "
               "(package_search, package_show, datastore_search).",
               "The portal's catalogue and data through CKAN 2.10's Action API (package_search, "
               "package_show, datastore_search).")
      .Add("dcat:endpointURL", RdfIri(site.base_url + "/api/3/action/"))
      .Add("dcat:endpointDescription", RdfIri(kDcatCkanApiDocs))
      .Add("dct:conformsTo", standard)
      .Add("dct:publisher", publisher)
      .Add("dcat:contactPoint", contact)
      .Add("dcat:keyword", RdfText("CKAN", ""));
  for (const auto* d : served) g.Add("dcat:servesDataset", RdfIri(DcatDatasetIri(site, *d)));
  return t;
}

void DcatDescribeDataset(RdfGraph& g, const Site& site, const OpenDataset& d) {
  const RdfTerm dataset = RdfIri(DcatDatasetIri(site, d));
  const auto [org_code, org_name] = DcatPublisherOf(site, d);
  const RdfTerm publisher = DcatAgent(g, site, org_code, org_name);
  const RdfTerm contact = DcatContactPoint(g, site, org_code, org_name);
  const RdfTerm language = DcatVietnamese(g);
  const RdfTerm spatial = DcatVietNam(g);
  const std::string landing_iri = site.base_url + "/open/" + d.id;
  const RdfTerm landing = DcatDocument(g, landing_iri);
  const RdfTerm public_access = RdfIri(std::string(kDcatEuAuthority) + "access-right/PUBLIC");
  if (!g.Has(public_access)) {
    g.About(public_access)
        .Type("dct:RightsStatement")
        .Add("skos:prefLabel", RdfText("public", "en"))
        .Add("skos:prefLabel", RdfText("công khai", "vi"));
  }
  const auto licence = DcatLicence(g, d.licence);
  const RdfTerm stable =
      DcatConcept(g, std::string(kDcatEuAuthority) + "planned-availability/STABLE", "stable");
  const auto issued = DcatDate(d.issued);
  const auto modified = DcatDate(d.modified.empty() ? d.issued : d.modified);

  // Title and description are mandatory: the id stands in for a missing title, the title for
  // a missing description.
  const std::string& title = d.title.empty() ? d.id : d.title;
  const std::string& description = d.description.empty() ? title : d.description;
  g.About(dataset)
      .Type("dcat:Dataset")
      .Add("dct:identifier", RdfText(d.id, ""))
      .AddText("dct:title", title, d.title_en)
      .AddText("dct:description", description,
               d.description_en.empty() ? d.title_en : d.description_en);
  for (const auto& k : d.keywords) {
    if (!k.empty()) g.Add("dcat:keyword", RdfText(k, "vi"));
  }
  g.Add("dct:language", language)
      .Add("dct:publisher", publisher)
      .Add("dcat:contactPoint", contact)
      .Add("dct:spatial", spatial)
      .Add("dct:accessRights", public_access)
      .Add("dct:issued", issued)
      .Add("dct:modified", modified)
      .Add("dcat:landingPage", landing);
  for (const auto& form : kDcatDistributionForms) {
    g.About(dataset).Add("dcat:distribution",
                         RdfIri(DcatDatasetIri(site, d) + "#" + std::string(form.fragment)));
  }

  const std::string download = site.base_url + "/api/v1/open/datasets/" + d.id + "/";
  for (const auto& form : kDcatDistributionForms) {
    const RdfTerm media = DcatMediaType(g, form.media_type);
    const RdfTerm format = DcatFileType(g, form.file_type);
    std::optional<RdfTerm> conforms;
    if (form.fragment == "datapackage") {
      conforms = DcatStandard(g, kDcatDataPackageSpec, "Frictionless Data Package");
    }
    g.About(RdfIri(DcatDatasetIri(site, d) + "#" + std::string(form.fragment)))
        .Type("dcat:Distribution")
        .AddText("dct:title", form.title, form.title_en)
        .AddText("dct:description", std::string(form.title) + ": " + title,
                 d.title_en.empty() ? "" : std::string(form.title_en) + ": " + d.title_en)
        .Add("dcat:accessURL", landing)
        .Add("dcat:downloadURL", RdfIri(download + std::string(form.file)))
        .Add("dcat:mediaType", media)
        .Add("dct:format", format)
        .Add("dct:license", licence)
        .Add("dcatap:availability", stable)
        .Add("dct:conformsTo", conforms)
        .Add("dct:issued", issued)
        .Add("dct:modified", modified);
    if (form.fragment == "csv") g.Add("dcat:accessService", RdfIri(DcatServiceIri(site)));
  }
}

RdfGraph DcatCatalogGraph(const Site& site, const CatalogPage& page) {
  RdfGraph g;
  const RdfTerm catalog = RdfIri(site.base_url + "/catalog");
  // The catalogue first, so that it leads the document; its statements follow as they come.
  g.About(catalog).Type("dcat:Catalog");
  const RdfTerm publisher = DcatAgent(g, site, site.publisher_code, site.publisher);
  const RdfTerm home = DcatDocument(g, site.base_url + "/open");
  const RdfTerm language = DcatVietnamese(g);
  const RdfTerm spatial = DcatVietNam(g);
  const RdfTerm themes = RdfIri(std::string(kDcatEuAuthority) + "data-theme");
  g.About(themes).Type("skos:ConceptScheme").Add("dct:title", RdfText("Data theme", "en"));
  std::vector<const OpenDataset*> served;
  served.reserve(page.datasets.size());
  for (const auto& d : page.datasets) served.push_back(&d);
  const RdfTerm service = DcatCkanService(g, site, served);

  const std::string& title = site.title.empty() ? site.publisher : site.title;
  g.About(catalog)
      .AddText("dct:title", title, site.title_en)
      .AddText("dct:description", site.description.empty() ? title : site.description,
               site.description_en.empty() ? site.title_en : site.description_en)
      .Add("dct:publisher", publisher)
      .Add("foaf:homepage", home)
      .Add("dct:language", language)
      .Add("dct:spatial", spatial)
      .Add("dcat:themeTaxonomy", themes)
      .Add("dcat:service", service);
  for (const auto& d : page.datasets) g.Add("dcat:dataset", RdfIri(DcatDatasetIri(site, d)));
  if (!page.next_page.empty()) {
    const RdfTerm view = page.this_page.empty() ? RdfBlank("catalog-page") : RdfIri(page.this_page);
    g.Add("hydra:view", view);
    g.About(view)
        .Type("hydra:PartialCollectionView")
        .Add("hydra:next", RdfIri(page.next_page))
        .Add("hydra:totalItems", RdfTyped(std::to_string(page.total), "xsd:integer"));
  }
  for (const auto& d : page.datasets) DcatDescribeDataset(g, site, d);
  return g;
}

}  // namespace

std::string CatalogTurtle(const Site& site, const CatalogPage& page) {
  return DcatCatalogGraph(site, page).Turtle();
}

json::value CatalogJsonLd(const Site& site, const CatalogPage& page) {
  return DcatCatalogGraph(site, page).JsonLd();
}

std::string DatasetTurtle(const Site& site, const OpenDataset& d) {
  RdfGraph g;
  g.About(RdfIri(DcatDatasetIri(site, d))).Type("dcat:Dataset");
  DcatDescribeDataset(g, site, d);
  DcatCkanService(g, site, {&d});
  return g.Turtle();
}

}  // namespace pdh::share
