// The web app's in-place YAML edits (app/serve/yaml_edit.h) on any bytes: the first line is a
// dotted path, the second a value, the rest the document. An edit either throws
// std::invalid_argument or returns a document that parses and holds the value at the path.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "app/serve/yaml_edit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t first = input.find('\n');
  if (first == std::string::npos) return 0;
  const size_t second = input.find('\n', first + 1);
  if (second == std::string::npos) return 0;
  const std::string path = input.substr(0, first);
  const std::string value = input.substr(first + 1, second - first - 1);
  const std::string text = input.substr(second + 1);
  using namespace fourp::serve;
  try {
    const std::string edited = set_yaml_value(text, split_path(path), value);
    YAML::Node node = YAML::Load(edited);  // must parse: a throw here is a failure
    for (const std::string& key : split_path(path)) node.reset(node[key]);
    if (!node.IsDefined()) std::abort();
  } catch (const std::invalid_argument&) {
  }
  for (auto edit : {+[](const std::string&t, const std::string&a, const std::string&b) {
                      return duplicate_intervention(t, a, b);
                    },
                    +[](const std::string&t, const std::string&a, const std::string&) {
                      return remove_intervention(t, a);
                    },
                    +[](const std::string&t, const std::string&a, const std::string&b) {
                      return add_intervention(t, a, b);
                    },
                    +[](const std::string&t, const std::string&a, const std::string&b) {
                      return set_arm_interventions(t, a, {b});
                    }}) {
    try {
      (void)YAML::Load(edit(text, path, value));
    } catch (const std::invalid_argument&) {
    } catch (const YAML::Exception&) {  // yaml-cpp refuses a node it cannot hold in a map
    }
  }
  return 0;
}
