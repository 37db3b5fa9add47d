pytest_plugins = ["joinedup.incidents.tests.conftest"]
