# Conan 2 recipe for agentkit (header-only by default; separate_compilation=True builds its non-template parts
# once into static libraries, docs/packaging.md). Requirements are named as Conan Center names them.
#   conan create . --build=missing -tf packaging/test_package   # then builds and runs packaging/test_package
#   conan create . -o "agentkit/*:with_sqlite=False" -o "agentkit/*:with_http=False" -o "agentkit/*:with_yaml=False"
# Versions: the ones Debian 12 ships (Boost 1.81, range-v3 0.12.0, RapidJSON 1.1.0, SQLiteCpp 3.2.1,
# SQLite 3.40.1, OpenSSL 3.0, yaml-cpp 0.7.0), which CI builds and tests against.
from conan import ConanFile
from conan.tools.cmake import CMake, CMakeToolchain, CMakeDeps, cmake_layout
from conan.tools.files import copy
import os


class AgentkitConan(ConanFile):
    name = "agentkit"
    version = "0.1.0"
    license = "MIT"
    description = "Header-only C++20 policy-based toolkit for fast LLM-agent runtimes"
    topics = ("llm", "agents", "header-only", "policy-based-design", "tokenizer", "cache")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_sqlite": [True, False], "with_http": [True, False], "with_yaml": [True, False],
               "separate_compilation": [True, False]}
    default_options = {"with_sqlite": True, "with_http": True, "with_yaml": True, "separate_compilation": False}
    exports_sources = "CMakeLists.txt", "cmake/*", "include/*", "src/*", "LICENSE"
    no_copy_source = True

    def configure(self):
        if self.options.separate_compilation:
            self.package_type = "static-library"

    def package_id(self):
        if not self.info.options.separate_compilation:
            self.info.clear()  # header-only: one package for every configuration

    def requirements(self):
        # transitive_headers: our headers include theirs.
        self.requires("boost/1.81.0", transitive_headers=True)
        self.requires("range-v3/0.12.0", transitive_headers=True)
        self.requires("rapidjson/1.1.0", transitive_headers=True)
        if self.options.with_sqlite:
            self.requires("sqlitecpp/3.2.1", transitive_headers=True)
            self.requires("sqlite3/3.40.1", transitive_headers=True)
        if self.options.with_http:
            self.requires("openssl/[>=3.0 <4]", transitive_headers=True)
        if self.options.with_yaml:
            self.requires("yaml-cpp/0.7.0", transitive_headers=True)

    def layout(self):
        cmake_layout(self)

    def generate(self):
        CMakeDeps(self).generate()
        tc = CMakeToolchain(self)
        tc.cache_variables["AGENTKIT_BUILD_TESTS"] = False
        tc.cache_variables["AGENTKIT_BUILD_EXAMPLES"] = False
        tc.cache_variables["AGENTKIT_WITH_SQLITE"] = bool(self.options.with_sqlite)
        tc.cache_variables["AGENTKIT_WITH_HTTP"] = bool(self.options.with_http)
        tc.cache_variables["AGENTKIT_WITH_YAML"] = bool(self.options.with_yaml)
        tc.cache_variables["AGENTKIT_SEPARATE_COMPILATION"] = bool(self.options.separate_compilation)
        # The rank files are not among the exported sources (never committed): consumers point
        # AGENTKIT_TIKTOKEN_DIR at them (docs/packaging.md).
        tc.cache_variables["AGENTKIT_INSTALL_RANK_FILES"] = False
        tc.generate()

    def package(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.install()

    def package_info(self):
        # Consumers use our own installed agentkitConfig.cmake (components sqlite/http/yaml).
        self.cpp_info.set_property("cmake_find_mode", "none")
        self.cpp_info.builddirs.append(os.path.join("share", "cmake", "agentkit"))
        self.cpp_info.bindirs = []
        if not self.options.separate_compilation:
            self.cpp_info.libdirs = []
