// config/yaml.hpp: YAML deployment files read into the JSON loader's form, with YAML 1.2 core-schema typing,
// anchors, and a typed error (with line and column, or the key path) for every bad input.
#include <agentkit/config/yaml.hpp>

#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <string>

namespace config_yaml_test {

namespace cfg = agentkit::config;

agentkit::error error_of(std::string_view yaml, const cfg::yaml_limits& limits = {}) {
    try {
        (void)cfg::yaml_to_json(yaml, "test.yaml", limits);
    } catch (const agentkit::error& e) {
        return e;
    }
    ADD_FAILURE() << "accepted: " << yaml;
    return agentkit::error(agentkit::errc::invalid_argument, "accepted", "");
}

agentkit::error load_error_of(std::string_view yaml) {
    try {
        (void)cfg::load_yaml_deployment(yaml);
    } catch (const agentkit::error& e) {
        return e;
    }
    ADD_FAILURE() << "accepted: " << yaml;
    return agentkit::error(agentkit::errc::invalid_argument, "accepted", "");
}

TEST(YamlToJson, TypesPlainScalarsByTheCoreSchema) {
    EXPECT_EQ(cfg::yaml_to_json("a: 8080\nb: -3\nc: 0x1F\nd: 0o17\ne: 1.5\nf: .5\ng: 1e3\nh: true\ni: False\n"
                                "j: ~\nk: null\nl:\nm: hello world\nn: 12abc\n"),
              R"({"a":8080,"b":-3,"c":31,"d":15,"e":1.5,"f":0.5,"g":1000.0,"h":true,"i":false,"j":null,"k":null,)"
              R"("l":null,"m":"hello world","n":"12abc"})");
}

TEST(YamlToJson, QuotedScalarsAndStrTagsAreStrings) {
    EXPECT_EQ(cfg::yaml_to_json("a: \"8080\"\nb: 'true'\nc: !!str 12\nd: \"\"\n"),
              R"({"a":"8080","b":"true","c":"12","d":""})");
}

TEST(YamlToJson, CoreTagsMustMatchTheValue) {
    EXPECT_EQ(cfg::yaml_to_json("a: !!int 12\nb: !!float 2\nc: !!bool true\n"), R"({"a":12,"b":2,"c":true})");
    const auto e = error_of("port: !!int eighty\n");
    EXPECT_EQ(e.code(), agentkit::errc::parse_error);
    EXPECT_NE(std::string(e.what()).find("port: 'eighty' is not an integer"), std::string::npos) << e.what();
    EXPECT_EQ(error_of("a: !custom 1\n").code(), agentkit::errc::parse_error);
}

TEST(YamlToJson, SequencesMapsAndFlowStyle) {
    EXPECT_EQ(cfg::yaml_to_json("list:\n  - 1\n  - two\n  - {x: 3, y: [4, 5]}\nempty: []\nnone: {}\n"),
              R"({"list":[1,"two",{"x":3,"y":[4,5]}],"empty":[],"none":{}})");
}

TEST(YamlToJson, EscapesStringsForJson) {
    EXPECT_EQ(cfg::yaml_to_json("a: \"quote \\\" backslash \\\\ tab \\t nl \\n\"\n"),
              R"({"a":"quote \" backslash \\ tab \t nl \n"})");
    EXPECT_EQ(cfg::yaml_to_json("\"k\\\"ey\": v\n"), R"({"k\"ey":"v"})");
}

TEST(YamlToJson, AnchorsAndAliasesRepeatTheNode) {
    EXPECT_EQ(cfg::yaml_to_json("base: &b {maxAttempts: 3, seed: 1}\ncopy: *b\nn: &n 5\nm: *n\n"),
              R"({"base":{"maxAttempts":3,"seed":1},"copy":{"maxAttempts":3,"seed":1},"n":5,"m":5})");
}

TEST(YamlToJson, EmptyDocumentIsAnEmptyObject) {
    EXPECT_EQ(cfg::yaml_to_json(""), "{}");
    EXPECT_EQ(cfg::yaml_to_json("# only a comment\n"), "{}");
}

TEST(YamlToJson, SyntaxErrorsNameLineAndColumn) {
    const auto e = error_of("server:\n  port: 80\n bad: [1, 2\n");
    EXPECT_EQ(e.code(), agentkit::errc::parse_error);
    EXPECT_EQ(e.field(), "test.yaml");
    EXPECT_NE(std::string(e.what()).find("line "), std::string::npos) << e.what();
}

TEST(YamlToJson, RefusesWhatJsonCannotHold) {
    EXPECT_NE(std::string(error_of("a: .inf\n").what()).find("a: '.inf' is not a finite number"), std::string::npos);
    EXPECT_EQ(error_of("a: -.inf\n").code(), agentkit::errc::parse_error);
    EXPECT_EQ(error_of("a: .nan\n").code(), agentkit::errc::parse_error);
    EXPECT_EQ(error_of("a: 1e999\n").code(), agentkit::errc::parse_error);
    EXPECT_NE(std::string(error_of("? [1, 2]\n: x\n").what()).find("keys are plain strings"), std::string::npos);
    EXPECT_EQ(error_of("a: 1\n---\nb: 2\n").code(), agentkit::errc::parse_error);
}

TEST(YamlToJson, BoundsNestingAndExpansion) {
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "[";
    for (int i = 0; i < 100; ++i) deep += "]";
    const auto e = error_of(deep);
    EXPECT_EQ(e.code(), agentkit::errc::parse_error);
    EXPECT_NE(std::string(e.what()).find("nested deeper than 64 levels"), std::string::npos) << e.what();

    // "Billion laughs": each level repeats the previous nine times.
    std::string laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; ++c, ++prev) {
        laughs += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 9; ++i) laughs += std::string(i ? ",*" : "*") + prev;
        laughs += "]\n";
    }
    const auto big = error_of(laughs);
    EXPECT_EQ(big.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(big.field(), "config.yaml.max_json_bytes");

    EXPECT_EQ(error_of("a: [1, 2, 3]\n", {.max_json_bytes = 8}).code(), agentkit::errc::capacity_exceeded);
}

TEST(YamlToJson, RefusesInvalidUtf8AndNul) {
    EXPECT_EQ(error_of("a: \xff\xfe\n").code(), agentkit::errc::parse_error);
    EXPECT_EQ(error_of(std::string_view("a: b\0c\n", 7)).code(), agentkit::errc::parse_error);
}

TEST(YamlDeployment, LoadsTheSameDeploymentAsJson) {
    const char* yaml = R"(# The router's retry as in the tuning guides
models:
  router:
    retry:
      maxAttempts: 5
      maxDelayMs: 1m
      nonRetryablePatterns: [invalid_api_key]
tools:
  executor:
    defaultTimeoutMs: 10s
    timeoutsMs:
      web.fetch: 60000
sessions:
  ttl: 30d
  maxSessions: 200
)";
    const char* json = R"({"models": {"router": {"retry": {"maxAttempts": 5, "maxDelayMs": "1m",
      "nonRetryablePatterns": ["invalid_api_key"]}}},
      "tools": {"executor": {"defaultTimeoutMs": "10s", "timeoutsMs": {"web.fetch": 60000}}},
      "sessions": {"ttl": "30d", "maxSessions": 200}})";
    const auto from_yaml = cfg::load_yaml_deployment(yaml);
    EXPECT_EQ(cfg::to_json(from_yaml), cfg::to_json(cfg::load_deployment(json)));
    EXPECT_EQ(from_yaml.router.retry.max_attempts, 5u);
    EXPECT_EQ(from_yaml.executor.timeouts.at("web.fetch").count(), 60000);
}

TEST(YamlDeployment, ErrorsNameTheKeyPath) {
    const auto unknown = load_error_of("models:\n  router:\n    retyr:\n      maxAttempts: 3\n");
    EXPECT_EQ(unknown.code(), agentkit::errc::invalid_argument);
    EXPECT_EQ(unknown.field(), "models.router.retyr");
    const auto typed = load_error_of("models:\n  router:\n    retry:\n      maxAttempts: \"5\"\n");
    EXPECT_EQ(typed.field(), "models.router.retry.maxAttempts");
    const auto duplicate = load_error_of("sessions:\n  ttl: 1d\n  ttl: 2d\n");
    EXPECT_EQ(duplicate.field(), "sessions.ttl");
}

TEST(YamlDeployment, ReadsFilesAndKnowsTheirNames) {
    agentkit_test::temp_dir dir("agentkit_yaml");
    const auto path = dir.write("gateway.yaml", "sessions:\n  maxSessions: 7\n");
    EXPECT_EQ(cfg::load_yaml_deployment_file(path).sessions.max_sessions, 7u);
    EXPECT_TRUE(cfg::is_yaml_path("a/b.YML"));
    EXPECT_TRUE(cfg::is_yaml_path("x.yaml"));
    EXPECT_FALSE(cfg::is_yaml_path("x.json"));
    try {
        (void)cfg::load_yaml_deployment_file(dir.file("missing.yaml"));
        ADD_FAILURE();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::not_found);
    }
}

}  // namespace config_yaml_test
