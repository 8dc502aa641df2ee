// Hostile input files (sim/yaml_document.h): whatever the bytes, reading ends with an error at a
// line and column (or byte offset), never in a loop, a crash or gigabytes of memory. Line ends
// and encodings a user's editor may choose are read as they mean.
#include <catch2/catch.hpp>

#include <string>

#include "sim/diagnostics.h"
#include "sim/network.h"
#include "sim/scenario_parse.h"
#include "sim/sweep.h"
#include "sim/yaml_document.h"
#include "tests/support/test_support.h"

using namespace fourp;
using Catch::Matchers::Contains;

namespace {

const char* kSmall =
    "name: small\nseed: 5\nreplicates: 2\nsteps: 8\npopulation: {size: 400, communities: 2}\n";

// The first error of parsing `text` as a scenario.
std::string first_error(const std::string& text) {
  Diagnostics diag;
  parse_scenario_text(text, "x.yaml", test::catalog(), {}, diag);
  REQUIRE(diag.has_errors());
  return diag.all().front().str();
}

std::string hostile(const std::string& name) {
  return std::string(FOURP_TEST_DATA) + "/hostile/" + name;
}

}  // namespace

TEST_CASE("a lone ',' is an error, not an endless loop (yaml-cpp 0.7 LoadAll)", "[unit]") {
  // Before the fix this test never ended: LoadAll appended an empty document per turn.
  CHECK_THROWS_WITH(load_yaml_documents(","), Contains("unexpected ','"));
  CHECK_THROWS_WITH(load_yaml_documents("[a],\n"), Contains("unexpected ','"));
  CHECK(first_error(",") == "x.yaml:1:1: error: unexpected ','");
  CHECK(first_error(", a") == "x.yaml:1:1: error: unexpected ','");
}

TEST_CASE("several documents are still counted", "[unit]") {
  CHECK(load_yaml_documents("a: 1\n---\nb: 2\n").size() == 2);
  CHECK(load_yaml_documents("").empty());
}

TEST_CASE("nesting deeper than the limit is refused before yaml-cpp builds it", "[unit]") {
  CHECK(first_error("a: " + std::string(100, '[') + std::string(100, ']')) ==
        "x.yaml:1:67: error: nested more than 64 levels deep");
  std::string block;
  for (int i = 0; i < 100; ++i) block += "- ";
  CHECK_THAT(first_error(block + "x\n"), Contains("nested more than 64 levels deep"));
  // Brackets inside text and comments are not nesting.
  CHECK_NOTHROW(load_yaml_documents("a: '" + std::string(100, '[') + "'\nb: x [[[[ # [[[[[[\n"));
  CHECK_NOTHROW(load_yaml_documents("a: [[[[[[[[[[1]]]]]]]]]]\n"));
}

TEST_CASE("aliases that expand past the limit are refused (billion laughs, cycles)", "[unit]") {
  Diagnostics diag;
  parse_scenario_file(hostile("billion-laughs.yaml"), test::catalog(), {}, diag);
  CHECK_THAT(diag.format(), Contains("billion-laughs.yaml:1:8: error: aliases expand to more than "
                                     "100000 values"));
  // Self-referencing aliases nested five deep (found by fuzz_scenario): stopped at the same cap.
  Diagnostics slow;
  parse_scenario_file(hostile("alias-cycle-slow.yaml"), test::catalog(), {}, slow);
  CHECK_THAT(slow.format(), Contains("aliases expand to more than 100000 values"));
  CHECK_THROWS_WITH(load_yaml_documents("a: &a [*a]\n"), Contains("aliases expand"));
  std::string many = "a: &a 1\nb: [";
  for (int i = 0; i < 1001; ++i) many += "*a, ";
  CHECK_THROWS_WITH(load_yaml_documents(many + "]\n"), Contains("more than 1000 aliases"));
  // A few aliases are fine.
  CHECK(load_yaml_documents("a: &a {x: 1}\nb: *a\n").front()["b"]["x"].as<int>() == 1);
}

TEST_CASE("more values than the limit are refused before yaml-cpp builds them", "[unit]") {
  std::string list = "a: [";
  for (size_t i = 0; i <= kMaxValues; ++i) list += "1,";
  CHECK_THROWS_WITH(load_yaml_documents(list + "]\n"), Contains("more than 50000 values"));
}

TEST_CASE("a file above the size limit is refused without being read whole", "[unit]") {
  test::TempDir d;
  test::write_file(d / "big.yaml", "name: x\ndescription: " + std::string(kMaxInputBytes, 'a'));
  Diagnostics diag;
  parse_scenario_file(d / "big.yaml", test::catalog(), {}, diag);
  CHECK(diag.format() == (d / "big.yaml").string() +
                             ": error: the file is larger than 1 MiB, the limit for input files\n");
  Diagnostics sweep_diag;
  parse_sweep_file(d / "big.yaml", test::catalog(), {}, sweep_diag);
  CHECK_THAT(sweep_diag.format(), Contains("larger than 1 MiB"));
}

TEST_CASE("CR and CRLF line ends read as LF, and a UTF-8 byte order mark is skipped", "[unit]") {
  std::string lf = std::string(kSmall) + "outputs: {snapshots: [0, 8]}\n";
  const std::string expected = to_yaml(test::scenario_from_yaml(lf));
  std::string cr = lf, crlf;
  std::replace(cr.begin(), cr.end(), '\n', '\r');
  for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(to_yaml(test::scenario_from_yaml(cr)) == expected);  // was "the file is empty"
  CHECK(to_yaml(test::scenario_from_yaml(crlf)) == expected);
  CHECK(to_yaml(test::scenario_from_yaml("\xEF\xBB\xBF" + crlf)) == expected);
  // Errors keep their lines.
  CHECK(first_error("name: x\rsead: 1\r") ==
        "x.yaml:2:1: error: unknown key 'sead' (did you mean 'seed'?)");
}

TEST_CASE("other encodings and bytes that are not UTF-8 text: an error with the byte offset",
          "[unit]") {
  CHECK(first_error("\xFF\xFEn\0a"
                    "") ==
        "x.yaml:1:1: error: the file is UTF-16 (byte order mark at byte 0): "
        "save it as UTF-8");
  CHECK(first_error(std::string("\x00\x00\xFE\xFF", 4)) ==
        "x.yaml:1:1: error: the file is UTF-32 (byte order mark at byte 0): save it as UTF-8");
  CHECK(first_error("name: ok\ndescription: caf\xE9\n") ==
        "x.yaml:2:17: error: invalid UTF-8 at byte 25 (0xE9): save the file as UTF-8");
  CHECK(first_error("name: a\x01"
                    "b\n") == "x.yaml:1:8: error: control character 0x01 at byte 7");
  CHECK(first_error(std::string("n\0a\0", 4)) ==
        "x.yaml:1:2: error: control character 0x00 at byte 1 (a UTF-16 file? save it as UTF-8)");
  // Valid multi-byte text passes.
  CHECK_NOTHROW(load_yaml_documents("description: \"Ünïcødé — 村 😀\"\n"));
}

TEST_CASE("errors are capped at 50 a file, then 'and N more'", "[unit]") {
  std::string text = std::string(kSmall) + "outputs:\n  snapshots:\n";
  for (int i = 0; i < 40000; ++i) text += "  - x\n";
  Diagnostics diag;
  parse_scenario_text(text, "x.yaml", test::catalog(), {}, diag);
  CHECK(diag.all().size() == kMaxDiagnosticsPerFile);
  CHECK(diag.unreported("x.yaml") == 40000 - kMaxDiagnosticsPerFile);
  const std::string out = diag.format();
  CHECK(std::count(out.begin(), out.end(), '\n') == 51);
  CHECK_THAT(out, Contains("x.yaml: error: … and 39950 more errors in this file"));
}

TEST_CASE("every file of tests/data/hostile ends in an error at a place", "[unit]") {
  for (const char* name :
       {"top-level-comma.yaml", "comma-after-list.yaml", "random-bytes-seed61.yaml",
        "billion-laughs.yaml", "alias-cycle.yaml", "deep-flow.yaml", "deep-block.yaml",
        "utf16.yaml", "invalid-utf8.yaml", "control-byte.yaml", "many-bad-snapshots.yaml"}) {
    INFO(name);
    Diagnostics diag;
    parse_scenario_file(hostile(name), test::catalog(), {}, diag);
    CHECK(diag.has_errors());
    CHECK(diag.all().front().loc.line >= 1);
    Diagnostics sweep_diag;
    parse_sweep_file(hostile(name), test::catalog(), {}, sweep_diag);
    CHECK(sweep_diag.has_errors());
  }
}

TEST_CASE("a network file that is a device is refused, not read forever", "[unit]") {
  NetworkSpec spec;
  spec.kind = NetworkSpec::Kind::file;
  spec.path = "/dev/zero";
  Diagnostics diag;
  (void)read_network_file(spec, diag);  // before: read /dev/zero until memory ran out
  CHECK_THAT(diag.format(), Contains("cannot read network file"));
}
