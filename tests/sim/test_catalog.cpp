// The catalog refuses declarations that contradict themselves, at program start rather than in a
// user's run; the first kind added is the default.
#include <catch2/catch.hpp>

#include "sim/catalog.h"
#include "sim/rng.h"

using namespace fourp;

namespace {

ModelKind tiny_kind(const std::string& name) {
  ModelKind k;
  k.name = name;
  k.sections = {{"model", ParamSchema{}}};
  k.outputs.outcomes = {{"infected", "people infected", Scale::count, Better::fewer},
                        {"spent", "cost", Scale::money, Better::fewer}};
  k.outputs.headline = "infected";
  k.outputs.improvement = {"infections_averted", "infections averted", "", ""};
  k.outputs.cost_outcome = "spent";
  k.roles = {{"carer", 0.1, "carers", ""}};
  k.outputs.subgroup = "carer";
  k.purposes = {40, 45};
  return k;
}

}  // namespace

TEST_CASE("catalog: consistent declarations are accepted, the first kind is the default",
          "[unit]") {
  Catalog c;
  c.add(tiny_kind("a"));
  c.add(tiny_kind("b"));
  CHECK(c.default_kind() == "a");
  CHECK(c.names() == std::vector<std::string>{"a", "b"});
  const OutputDeclarations& d = c.find("b")->outputs;
  CHECK(d.improvement_sign() == 1);
  CHECK(*d.outcome_index("spent") == 1);
  CHECK(c.find("a")->role_index("carer") == 0u);
}

TEST_CASE("catalog: contradictory declarations are refused, naming the kind", "[unit]") {
  const auto refused = [](ModelKind k, const std::string& why) {
    Catalog c;
    CHECK_THROWS_WITH(c.add(std::move(k)),
                      Catch::Contains("model kind 'k'") && Catch::Contains(why));
  };
  ModelKind k = tiny_kind("k");
  k.outputs.headline = "recovered";
  refused(k, "headline 'recovered' is not an outcome");
  k = tiny_kind("k");
  k.outputs.cost_outcome = "budget";
  refused(k, "cost total 'budget' is not an outcome");
  k = tiny_kind("k");
  k.outputs.outcomes.push_back(k.outputs.outcomes[0]);
  refused(k, "outcome 'infected' declared twice");
  k = tiny_kind("k");
  k.outputs.subgroup = "elder";
  refused(k, "subgroup 'elder' is not a role");
  k = tiny_kind("k");
  k.outputs.improvement.name.clear();
  refused(k, "a headline needs the name of its improvement");
  k = tiny_kind("k");
  k.purposes = {10, 20};  // contains Purpose::sweep (16)
  refused(k, "purpose 16 belongs to the engine");
  k = tiny_kind("k");
  k.purposes = {2, 5};  // contains the network's
  refused(k, "belongs to the engine");
  Catalog twice;
  twice.add(tiny_kind("k"));
  CHECK_THROWS_WITH(twice.add(tiny_kind("k")), Catch::Contains("added twice"));
}
