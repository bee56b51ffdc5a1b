// Static files: types, ETags, gzip siblings, caching, SPA fallback, staying inside the root.
#include <gtest/gtest.h>

#include "server/http_util.h"
#include "server/static_files.h"
#include "server/test_support.h"

namespace pdh::http::detail {
namespace {

using testing::HeaderOf;

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("f.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("a.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("site.webmanifest"), "application/manifest+json");
  EXPECT_EQ(ContentTypeFor("archive.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
}

TEST(StaticFiles, ServesFilesWithEtagAndCaching) {
  testing::WebRoot web;
  StaticFiles files(web.root.string());
  auto index = files.Serve("/index.html", "");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->Body(), "<!doctype html><title>pdh</title>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(*index, "ETag"), EtagFor(index->Body()));
  EXPECT_EQ(HeaderOf(*index, "Cache-Control"), "no-cache");

  auto js = files.Serve("/assets/app-1234.js", "br");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->Body(), "console.log(1)");
  EXPECT_EQ(HeaderOf(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(*js, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(*js, "Content-Encoding"), "");
}

TEST(StaticFiles, ServesGzipSiblingToGzipClients) {
  testing::WebRoot web;
  StaticFiles files(web.root.string());
  auto js = files.Serve("/assets/app-1234.js", "gzip, br");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->Body(), "GZIPPED");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(*js, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(*js, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(*js, "ETag"), EtagFor("GZIPPED"));
  auto ico = files.Serve("/favicon.ico", "gzip");
  ASSERT_TRUE(ico);
  EXPECT_EQ(HeaderOf(*ico, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(*ico, "Vary"), "");
}

TEST(StaticFiles, EtagIsCachedAfterFirstUse) {
  testing::WebRoot web;
  StaticFiles files(web.root.string());
  std::string first = HeaderOf(*files.Serve("/favicon.ico", ""), "ETag");
  web.dir.Write("dist/favicon.ico", "changed");
  EXPECT_EQ(HeaderOf(*files.Serve("/favicon.ico", ""), "ETag"), first);
}

TEST(StaticFiles, SpaFallbackForAppRoutes) {
  testing::WebRoot web;
  StaticFiles files(web.root.string());
  // App routes, including codes with dots such as agency codes.
  for (std::string_view path : {"/", "/units/70", "/assets", "/dashboard/", "/units/80.SKHCN"}) {
    auto r = files.Serve(path, "");
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(HeaderOf(*r, "Cache-Control"), "no-cache") << path;
  }
  for (std::string_view path : {"/missing.js", "/assets/missing.css", "/units/70.json"}) {
    auto r = files.Serve(path, "");
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().code, "file.not_found");
    EXPECT_EQ(r.error().status, 404);
  }
}

TEST(StaticFiles, NeverOutsideTheRoot) {
  testing::WebRoot web;
  StaticFiles files(web.root.string());
  for (std::string_view path : {"/../secret.txt", "/assets/../../secret.txt", "/link.txt", "/.env",
                                "//secret.txt", "/..%2fsecret.txt"}) {
    auto r = files.Serve(path, "");
    ASSERT_FALSE(r) << path;
  }
  // An absolute-looking path is still relative to the root: no such file, so the app.
  auto r = files.Serve("//etc/passwd", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Body(), "<!doctype html><title>pdh</title>");
}

TEST(StaticFiles, MissingRootServesNothing) {
  StaticFiles files("/nonexistent/pdh/web");
  EXPECT_FALSE(files.Serve("/", ""));
  EXPECT_FALSE(files.Serve("/index.html", ""));
}

}  // namespace
}  // namespace pdh::http::detail
