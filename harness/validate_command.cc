// harness validate [bench.yaml]: load and check a config without running
// anything.
#include <cstdio>
#include <memory>
#include <string>

#include "command_table.h"
#include "commands.h"
#include "config/config.h"

namespace harness {

void RegisterValidateCommand(CLI::App& app) {
  auto file = std::make_shared<std::string>("bench.yaml");
  CLI::App* validate = app.add_subcommand("validate", "Check a bench.yaml without running it");
  validate->add_option("config", *file, "the bench.yaml to check");
  AddCommand(validate, [file] {
    auto config = LoadConfig(*file);
    if (!config) {
      std::fprintf(stderr, "harness: %s\n", config.error().message.c_str());
      return kExitBadInput;
    }
    int enabled = 0;
    for (const auto& s : config->servers) enabled += s.enabled;
    std::printf("%s: ok (%d servers, %d enabled; %zu scenarios; %d repetitions)\n", file->c_str(),
                static_cast<int>(config->servers.size()), enabled, config->scenarios.size(),
                config->repetitions);
    return kExitOk;
  });
}

}  // namespace harness
