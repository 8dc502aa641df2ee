// The web app's parts with no server: editing YAML in place, the access checks, and the
// workspace's confinement (app/serve/).
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/serve/guard.h"
#include "app/serve/scenario_form.h"
#include "app/serve/workspace.h"
#include "app/serve/yaml_edit.h"
#include "tests/support/test_support.h"

using namespace fourp::serve;
using fourp::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kText = R"(# A scenario written by hand.
name: edit-me
population:
  size: 500     # people
  communities: 3
model:
  denial: 0.7   # strong
interventions:
  media:
    kind: outsider_campaign
    message: {blame: 0.6, sensational: 0.7}   # alarming
    target: {communities: [0, 1]}
arms:
  baseline: []
  outsider: [media]   # the campaign alone
  tokenistic:
    interventions: [media]
    set: {interventions.media.reach: 0.1}
)";

std::string line_of(const std::string& text, const std::string& start) {
  const size_t at = text.find(start);
  REQUIRE(at != std::string::npos);
  return text.substr(at, text.find('\n', at) - at);
}

// How many lines differ between two texts of as many lines; SIZE_MAX when the counts differ.
size_t lines_differing(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  size_t differ = 0;
  std::string la, lb;
  for (;;) {
    const bool more_a = static_cast<bool>(std::getline(sa, la));
    const bool more_b = static_cast<bool>(std::getline(sb, lb));
    if (more_a != more_b) return SIZE_MAX;
    if (!more_a) return differ;
    differ += la != lb;
  }
}

}  // namespace

TEST_CASE("yaml edit: a value is replaced where it stands, comments and layout stay", "[unit]") {
  const std::string blame =
      set_yaml_value(kText, {"interventions", "media", "message", "blame"}, "0");
  CHECK(line_of(blame, "    message:") == "    message: {blame: 0, sensational: 0.7}   # alarming");
  const std::string denial = set_yaml_value(kText, {"model", "denial"}, "0.25");
  CHECK(line_of(denial, "  denial:") == "  denial: 0.25   # strong");
  const std::string communities =
      set_yaml_value(kText, {"interventions", "media", "target", "communities"}, "[2]");
  CHECK(line_of(communities, "    target:") == "    target: {communities: [2]}");
  // Exactly one line differs each time: everything else is byte for byte the author's.
  for (const std::string* edited : {&blame, &denial, &communities})
    CHECK(lines_differing(kText, *edited) == 1);
}

TEST_CASE("yaml edit: missing keys go under the deepest map there, in its style", "[unit]") {
  // A block map: a line at its indentation, before its first key.
  CHECK(set_yaml_value(kText, {"model", "social_weight"}, "0.3")
            .find("model:\n  social_weight: 0.3\n  denial: 0.7   # strong\n") != std::string::npos);
  // A flow map: an entry before its closing brace.
  CHECK(line_of(set_yaml_value(kText, {"interventions", "media", "message", "efficacy"}, "0.5"),
                "    message:") ==
        "    message: {blame: 0.6, sensational: 0.7, efficacy: 0.5}   # alarming");
  // Deeper missing keys: a flow map.
  CHECK(set_yaml_value(kText, {"interventions", "media", "cost", "per_contact"}, "0.1")
            .find("  media:\n    cost: {per_contact: 0.1}\n    kind: outsider_campaign\n") !=
        std::string::npos);
  // A new top-level key: at the end.
  const std::string seeded = set_yaml_value(kText, {"seed"}, "7");
  CHECK(seeded == kText + "seed: 7\n");
  CHECK(set_yaml_value("a: {}\n", {"a", "b"}, "1") == "a: {b: 1}\n");
}

TEST_CASE("yaml edit: every field of the flagship's form reads back as set", "[unit]") {
  std::ifstream in(std::string(FOURP_SOURCE_DIR) + "/scenarios/rural-district.yaml");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const nlohmann::json checked = check_scenario(text, "rural-district.yaml", "rural-district.yaml");
  REQUIRE(checked["ok"] == true);
  size_t fields = 0;
  for (const auto& group : checked["form"]["groups"])
    for (const auto& field : group["fields"]) {
      const std::string path = field["path"];
      const std::string value = field["integer"] == true ? "3" : "0.125";
      const std::string edited = set_yaml_value(text, split_path(path), value);
      YAML::Node node = YAML::Load(edited);
      for (const std::string& key : split_path(path)) node.reset(node[key]);
      INFO(path);
      REQUIRE(node.IsScalar());
      CHECK(node.Scalar() == value);
      // Comments survive: every comment line of the file is still there.
      CHECK(edited.find("# The flagship comparison (SCENARIO.md)") != std::string::npos);
      CHECK(edited.find("# Snyder et al. 2004") != std::string::npos);
      ++fields;
    }
  CHECK(fields > 60);  // the form covers the model's sections, interventions and the world
}

TEST_CASE("yaml edit: only numbers, words and lists of them, no path through a list", "[unit]") {
  for (const std::string bad : {"1\nname: x", "{a: 1}", "x: y", "\"quoted\"", "[1, {a: 2}]", ""})
    CHECK_THROWS_AS(set_yaml_value(kText, {"model", "denial"}, bad), std::invalid_argument);
  CHECK_THROWS_AS(set_yaml_value(kText, {"population"}, "3"), std::invalid_argument);  // a block
  CHECK_THROWS_AS(set_yaml_value(kText, {"name", "x"}, "3"), std::invalid_argument);
  CHECK_THROWS_AS(set_yaml_value("- a\n- b\n", {"a"}, "3"), std::invalid_argument);
  CHECK_THROWS_AS(set_yaml_value("a: [b\n", {"a"}, "3"), std::invalid_argument);
  CHECK(is_form_value("-1.5e-3"));
  CHECK(is_form_value("[0, 1, 2]"));
  CHECK(is_form_value("[media, partnership]"));
}

TEST_CASE("yaml edit: arms and interventions", "[unit]") {
  const std::string arm = set_arm_interventions(kText, "outsider", {"media", "media2"});
  CHECK(line_of(arm, "  outsider:") == "  outsider: [media, media2]   # the campaign alone");
  CHECK(line_of(set_arm_interventions(kText, "tokenistic", {}), "    interventions:") ==
        "    interventions: []");
  const YAML::Node added = YAML::Load(set_arm_interventions(kText, "new", {"media"}));
  CHECK(added["arms"]["new"][0].as<std::string>() == "media");

  const YAML::Node removed = YAML::Load(remove_intervention(kText, "media"));
  CHECK_FALSE(removed["interventions"]["media"]);
  CHECK(removed["arms"]["outsider"].size() == 0);
  CHECK(removed["arms"]["tokenistic"]["interventions"].size() == 0);
  CHECK_FALSE(removed["arms"]["tokenistic"]["set"]["interventions.media.reach"]);

  const YAML::Node copy = YAML::Load(duplicate_intervention(kText, "media", "media2"));
  CHECK(copy["interventions"]["media2"]["message"]["blame"].as<double>() == 0.6);
  CHECK_THROWS_AS(duplicate_intervention(kText, "media", "media"), std::invalid_argument);
  CHECK_THROWS_AS(duplicate_intervention(kText, "nope", "x"), std::invalid_argument);
  CHECK_THROWS_AS(add_intervention(kText, "bad name", "partnership"), std::invalid_argument);
  CHECK(YAML::Load(add_intervention(kText, "p", "partnership"))["interventions"]["p"]["kind"]
            .as<std::string>() == "partnership");
  CHECK_FALSE(YAML::Load(remove_arm(kText, "outsider"))["arms"]["outsider"]);
}

TEST_CASE("scenario form: messages at their fields, file:line:col under the workspace name",
          "[unit]") {
  const std::string bad = set_yaml_value(kText, {"model", "denial"}, "7");
  const nlohmann::json checked = check_scenario(bad, "/ws/s.yaml", "s.yaml");
  CHECK(checked["ok"] == false);
  REQUIRE(checked["diagnostics"].size() == 1);
  const auto& d = checked["diagnostics"][0];
  CHECK(d["field"] == "model.denial");
  CHECK(d["line"] == 7);
  CHECK(d["column"] == 11);
  CHECK(d["text"].get<std::string>().rfind("s.yaml:7:11: error: model.denial = 7", 0) == 0);
  CHECK_FALSE(checked.contains("form"));

  const nlohmann::json good = check_scenario(kText, "/ws/s.yaml", "s.yaml");
  REQUIRE(good["ok"] == true);
  const auto& form = good["form"];
  CHECK(form["communities"] == 3);
  bool found = false;
  for (const auto& g : form["groups"])
    for (const auto& f : g["fields"])
      if (f["path"] == "interventions.media.message.blame") {
        found = true;
        CHECK(f["value"] == "0.6");
        CHECK(f["min"] == 0);
        CHECK(f["max"] == 1);
        CHECK_FALSE(f["meaning"].get<std::string>().empty());
      }
  CHECK(found);
}

TEST_CASE("guard: the token, by query or cookie, Host and Origin of the app only", "[unit]") {
  const std::string token = random_token();
  CHECK(token.size() == 64);
  CHECK(token.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(random_token() != token);
  const Guard g(token, "127.0.0.1", 8765);
  CHECK(g.token_in_query(token));
  CHECK_FALSE(g.token_in_query(token.substr(1)));
  CHECK_FALSE(g.token_in_query(""));
  CHECK(g.token_in_cookie("a=1; fourp_token_8765=" + token + "; b=2"));
  CHECK_FALSE(g.token_in_cookie("fourp_token_8766=" + token));  // another server's
  CHECK_FALSE(g.token_in_cookie("fourp_token_8765=" + token + "0"));
  CHECK(g.host_allowed("127.0.0.1:8765"));
  CHECK(g.host_allowed("localhost:8765"));
  CHECK_FALSE(g.host_allowed("evil.example:8765"));  // DNS rebinding
  CHECK_FALSE(g.host_allowed("127.0.0.1:80"));
  CHECK(g.origin_allowed(""));
  CHECK(g.origin_allowed("http://localhost:8765"));
  CHECK_FALSE(g.origin_allowed("http://evil.example"));
  CHECK_FALSE(g.origin_allowed("null"));
  const Guard lan(token, "192.168.1.5", 9000);
  CHECK(lan.host_allowed("192.168.1.5:9000"));
  CHECK_FALSE(lan.host_allowed("localhost:9000"));
}

TEST_CASE("workspace: names stay inside, shipped scenarios copied once, never over a file",
          "[unit]") {
  TempDir dir;
  const fs::path root = dir / "ws";
  {
    Workspace w(root);
    CHECK(fs::exists(root / "scenarios/rural-district.yaml"));
    CHECK(fs::exists(root / "scenarios/calibration/targets-template.csv"));
    CHECK(w.resolve("scenarios/rural-district.yaml") ==
          fs::canonical(root / "scenarios/rural-district.yaml"));
    CHECK(w.resolve("results/new.h5").has_value());  // need not exist yet
    for (const char* bad : {"", "/etc/passwd", "../x", "scenarios/../../x", "./a", "a\\b"})
      CHECK_FALSE(w.resolve(bad).has_value());
    fs::create_directory_symlink(dir.path(), root / "out");  // a link that leads outside
    CHECK_FALSE(w.resolve("out/secret.txt").has_value());
    CHECK(w.resolve("out/ws/x.yaml").has_value());  // back inside: fine
    CHECK_FALSE(w.resolve("out").has_value());
    const auto listing = w.listing();
    bool flagship = false;
    for (const auto& s : listing["scenarios"])
      flagship = flagship || s.value("name", "") == "rural-district";
    CHECK(flagship);
  }
  { std::ofstream(root / "scenarios/rural-district.yaml") << "name: mine\n"; }
  fs::remove(root / "scenarios/border-town.yaml");
  Workspace again(root);  // a second start copies nothing: the analyst's files are theirs
  std::ifstream in(root / "scenarios/rural-district.yaml");
  std::string first;
  std::getline(in, first);
  CHECK(first == "name: mine");
  CHECK_FALSE(fs::exists(root / "scenarios/border-town.yaml"));
}
