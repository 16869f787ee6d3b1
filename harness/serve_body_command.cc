// harness serve-body: the HTTP ceiling's target (calibration/body_server.h). Hidden: `harness
// run` starts it; it is not meant to be run by hand.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "calibration/body_server.h"
#include "command_table.h"
#include "commands.h"
#include "util/files.h"

namespace harness {

void RegisterServeBodyCommand(CLI::App& app) {
  struct Options {
    std::string body;
    int threads = 64;
  };
  auto options = std::make_shared<Options>();
  CLI::App* serve = app.add_subcommand("serve-body", "The HTTP ceiling's target");
  serve->group("");  // hidden from --help
  serve->add_option("--body", options->body, "file whose content every response carries")
      ->required();
  serve->add_option("--threads", options->threads, "connections served at once")
      ->check(CLI::Range(1, 4096));
  AddCommand(serve, [options] {
    const char* port = std::getenv("PORT");  // as for the servers under test
    int number = port ? std::atoi(port) : 0;
    if (number <= 0 || number > 65535) {
      std::fprintf(stderr, "harness: serve-body: PORT must be set to a port number\n");
      return kExitBadInput;
    }
    auto body = ReadFile(options->body);
    if (!body) {
      std::fprintf(stderr, "harness: serve-body: %s\n", body.error().message.c_str());
      return kExitBadInput;
    }
    if (Status served = ServeBody(number, *body, options->threads); !served) {
      std::fprintf(stderr, "harness: %s\n", served.error().message.c_str());
      return kExitBadInput;  // it could not listen: the environment, not a measurement
    }
    return kExitOk;
  });
}

}  // namespace harness
