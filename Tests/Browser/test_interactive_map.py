"""Browser tests of the interactive HTML map (`entitygraph render --format html`).

Headless Chromium, driven by Selenium through chromium-driver, loads the pages from file:// URLs
and does what a user does: searches, clicks, hovers, sets the date. `make browser-test` installs
what is missing, renders the pages into out/browser/ and runs this file; the screenshots it takes
are kept there.

The expectations are computed here from the graph files themselves (neighbours, the relations in
force on a date), not copied from the page.
"""

import json
import os
import sys
import time
import unittest
from datetime import date

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.environ.get("EG_BROWSER_OUT", os.path.join(ROOT, "out", "browser"))
SEED_JSON = os.path.join(ROOT, "Graphs", "zelensky-lukashenko-mozyr.json")
HOSTILE_JSON = os.path.join(ROOT, "Tests", "Browser", "hostile.json")


def token(text):
    """The renderer's id token: ASCII letters, digits and '-' kept, every other byte as _XX."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char.isascii() and (char.isalnum() or char == "-"):
            out.append(char)
        else:
            out.append("_%02X" % byte)
    return "".join(out)


def first_day(text):
    parts = [int(p) for p in text.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(text):
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        year, month = parts
        following = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 12, 31)


def in_force(relation, day):
    if "since" in relation and first_day(relation["since"]) > day:
        return False
    if "until" in relation and last_day(relation["until"]) < day:
        return False
    return True


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("EG_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1500,950", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("EG_CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


class MapTestCase(unittest.TestCase):
    page = None
    graph_file = None

    @classmethod
    def setUpClass(cls):
        with open(cls.graph_file, encoding="utf-8") as handle:
            cls.graph = json.load(handle)
        cls.driver = make_driver()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def setUp(self):
        path = os.path.join(OUT, self.page)
        self.assertTrue(os.path.exists(path), "render the page first: " + path)
        self.driver.get("file://" + path)
        WebDriverWait(self.driver, 10).until(
            lambda d: d.execute_script("return document.documentElement.getAttribute('data-eg-ready')") == "true")
        self.driver.get_log("browser")  # start each test with an empty log

    def screenshot(self, name):
        time.sleep(0.3)  # let the dimming transition finish
        self.driver.save_screenshot(os.path.join(OUT, name + ".png"))

    def console_errors(self):
        return [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]

    def classes(self, element_id):
        return self.driver.execute_script(
            "var e = document.getElementById(arguments[0]); return e ? e.getAttribute('class') : null;",
            element_id).split()

    def bright_entities(self):
        """The entities drawn at full strength: all of them, or while one is selected its neighbourhood."""
        return set(self.driver.execute_script(
            "var focus = document.getElementById('eg-map').classList.contains('eg-focus');"
            "return Array.from(document.querySelectorAll(focus ? '#eg-map g.entity.eg-bright' : '#eg-map g.entity'))"
            ".map(e => e.id);"))

    def visible_relations(self):
        return set(self.driver.execute_script(
            "return Array.from(document.querySelectorAll('#eg-map g.relation:not(.eg-hidden)')).map(e => e.id);"))

    def set_date(self, text):
        field = self.driver.find_element(By.ID, "eg-date")
        self.driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));", field, text)


class SeedMapTests(MapTestCase):
    page = "seed.html"
    graph_file = SEED_JSON

    def test_page_is_complete_and_quiet(self):
        entity_groups = self.driver.find_elements(By.CSS_SELECTOR, "#eg-map g.entity")
        relation_groups = self.driver.find_elements(By.CSS_SELECTOR, "#eg-map g.relation")
        self.assertEqual(len(entity_groups), len(self.graph["entities"]))
        self.assertEqual(len(relation_groups), len(self.graph["relations"]))
        self.assertEqual(self.driver.title, self.graph["title"])
        legend = self.driver.find_element(By.ID, "eg-legend").text
        for label in ("Person", "State", "Organization", "confirmed", "claimed"):
            self.assertIn(label, legend)
        # Nothing was fetched and nothing was refused by the Content-Security-Policy.
        resources = self.driver.execute_script("return performance.getEntriesByType('resource').length")
        self.assertEqual(resources, 0)
        self.assertEqual(self.console_errors(), [])
        self.screenshot("seed-overview")

    def test_search_volodya_selects_zelensky(self):
        box = self.driver.find_element(By.ID, "eg-search")
        box.send_keys("volodya")
        results = self.driver.find_element(By.ID, "eg-results")
        self.assertTrue(results.is_displayed())
        self.assertTrue(results.text.startswith("Volodymyr Zelensky"), results.text)
        self.screenshot("seed-search-volodya")
        box.send_keys(Keys.ENTER)
        self.assertIn("eg-selected", self.classes("entity-zelensky"))
        self.assertIn("entity-zelensky", self.bright_entities())
        details = self.driver.find_element(By.ID, "eg-details").text
        self.assertTrue(details.startswith("Volodymyr Zelensky"), details)
        # Diacritics and case do not matter either way.
        box.clear()
        box.send_keys("CHIȘINĂU" if any("Chi" in e["name"] for e in self.graph["entities"]) else "ZELÉNSKY")
        self.assertNotEqual(self.driver.find_element(By.ID, "eg-results").text, "No entity matches")
        # A letter with a stroke folds to its base letter, as in the library's lookup.
        box.clear()
        box.send_keys("ŁUKASHENKO")
        self.assertTrue(
            self.driver.find_element(By.ID, "eg-results").text.startswith("Alexander Lukashenko"),
            self.driver.find_element(By.ID, "eg-results").text)
        self.assertEqual(self.console_errors(), [])
        self.screenshot("seed-selected-zelensky")

    def search_results(self, text):
        box = self.driver.find_element(By.ID, "eg-search")
        box.clear()
        box.send_keys(text)
        return box, self.driver.find_element(By.ID, "eg-results").text

    def test_search_matches_names_as_the_library_lookup_does(self):
        # Another script, "SURNAME, Given", a title, a surname alone: as Suggest.nameWords matches.
        for query, name, entity in (
            ("Лукашенко", "Alexander Lukashenko", "lukashenko"),
            ("Зеленский", "Volodymyr Zelensky", "zelensky"),
            ("PUTIN, Vladimir", "Vladimir Putin", "putin"),
            ("President Zelensky", "Volodymyr Zelensky", "zelensky"),
            ("Fridman", "Lex Fridman", "lex-fridman"),
            ("Tsikhanouskaya", "Sviatlana Tsikhanouskaya", None),
        ):
            box, text = self.search_results(query)
            self.assertTrue(text.startswith(name), (query, text))
            if entity:
                box.send_keys(Keys.ENTER)
                self.assertIn("eg-selected", self.classes("entity-" + entity), query)
        # A name being typed in another script is offered too, and a shared word ranks candidates.
        _, text = self.search_results("Лукаш")
        self.assertTrue(text.startswith("Alexander Lukashenko"), text)
        _, text = self.search_results("Volodymyr")
        self.assertEqual(sorted(text.split("\n")[:2]), ["Volodymyr Fesenko", "Volodymyr Zelensky"], text)
        self.assertEqual(self.console_errors(), [])
        self.screenshot("seed-search-cyrillic")

    def test_click_lukashenko_keeps_exactly_his_neighbours_bright(self):
        node = self.driver.find_element(By.CSS_SELECTOR, "#entity-lukashenko text")
        ActionChains(self.driver).move_to_element(node).perform()
        tooltip = self.driver.find_element(By.ID, "eg-tooltip")
        self.assertTrue(tooltip.is_displayed())
        lukashenko = next(e for e in self.graph["entities"] if e["id"] == "lukashenko")
        self.assertIn(lukashenko["description"], tooltip.text)
        self.assertIn("Sources:", tooltip.text)
        self.screenshot("seed-hover-lukashenko")

        node.click()
        incident = [r for r in self.graph["relations"] if "lukashenko" in (r["source"], r["target"])]
        expected = {"entity-" + token(x) for r in incident for x in (r["source"], r["target"])}
        expected.add("entity-lukashenko")
        self.assertGreater(len(expected), 5)
        self.assertEqual(self.bright_entities(), expected)
        bright_relations = set(self.driver.execute_script(
            "return Array.from(document.querySelectorAll('#eg-map g.relation.eg-bright')).map(e => e.id);"))
        self.assertEqual(bright_relations, {"relation-" + token(r["id"]) for r in incident})
        self.assertIn("eg-selected", self.classes("entity-lukashenko"))
        # The panel lists the entity's attributes and links its sources.
        panel = self.driver.find_element(By.ID, "eg-details")
        for name, value in lukashenko["attributes"].items():
            self.assertIn(name, panel.text)
            self.assertIn(str(value), panel.text)
        for anchor in panel.find_elements(By.TAG_NAME, "a"):
            self.assertRegex(anchor.get_attribute("href"), r"^https?://")
        self.screenshot("seed-click-lukashenko")

        # Esc clears the selection.
        self.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        self.assertEqual(len(self.bright_entities()), len(self.graph["entities"]))

    def test_date_hides_relations_not_in_force(self):
        sanctions = "relation-nsdc-sanctions-mozyr-refinery"
        self.assertIn(sanctions, self.visible_relations())
        self.set_date("2022-10-01")
        self.assertNotIn(sanctions, self.visible_relations())
        self.assertFalse(self.driver.find_element(By.ID, sanctions).is_displayed())
        day = date(2022, 10, 1)
        expected = {"relation-" + token(r["id"]) for r in self.graph["relations"] if in_force(r, day)}
        self.assertEqual(self.visible_relations(), expected)
        self.assertIn("As of 2022-10-01", self.driver.find_element(By.ID, "eg-status").text)
        self.screenshot("seed-as-of-2022-10-01")

        self.set_date("2022-10-20")
        self.assertIn(sanctions, self.visible_relations())
        # Some relations have no end, so the slider reaches today.
        slider_max = self.driver.execute_script(
            "return new Date(Number(document.getElementById('eg-date-range').max) * 86400000)"
            ".toISOString().slice(0, 10)")
        self.assertGreaterEqual(slider_max, date.today().isoformat())
        # The slider follows the field, and "All dates" shows everything again.
        slider_day = self.driver.execute_script(
            "return new Date(Number(document.getElementById('eg-date-range').value) * 86400000)"
            ".toISOString().slice(0, 10)")
        self.assertEqual(slider_day, "2022-10-20")
        self.driver.find_element(By.ID, "eg-date-all").click()
        self.assertEqual(len(self.visible_relations()), len(self.graph["relations"]))
        self.assertEqual(self.console_errors(), [])

    def test_date_field_takes_iso_days_typed_whatever_the_locale(self):
        field = self.driver.find_element(By.ID, "eg-date")
        self.assertEqual(field.get_attribute("type"), "text")
        self.assertEqual(field.get_attribute("placeholder"), "YYYY-MM-DD")
        sanctions = "relation-nsdc-sanctions-mozyr-refinery"
        field.send_keys("2022-10-01")
        self.assertNotIn(sanctions, self.visible_relations())
        self.assertEqual(field.get_attribute("value"), "2022-10-01")
        # A day that does not exist is marked, and the map is left as it was.
        field.clear()
        field.send_keys("2022-02-30")
        field.send_keys(Keys.TAB)
        self.assertEqual(field.get_attribute("aria-invalid"), "true")
        self.assertEqual(field.get_attribute("value"), "2022-02-30")
        self.assertEqual(self.console_errors(), [])

    def test_legend_check_boxes_filter_the_map(self):
        def box(kind, value):
            return self.driver.find_element(
                By.CSS_SELECTOR, "#eg-legend input[data-filter='%s'][value='%s']" % (kind, value))
        everything = len(self.graph["relations"])
        self.assertEqual(len(self.visible_relations()), everything)
        # Certainty: switching "claimed" off hides exactly the claimed relations.
        box("certainty", "claimed").click()
        expected = {"relation-" + token(r["id"]) for r in self.graph["relations"]
                    if r.get("certainty", "confirmed") != "claimed"}
        self.assertEqual(self.visible_relations(), expected)
        box("certainty", "claimed").click()
        self.assertEqual(len(self.visible_relations()), everything)
        # Kind: switching "place" off hides the places and every relation that touches one.
        places = {e["id"] for e in self.graph["entities"] if e["kind"] == "place"}
        box("kind", "place").click()
        hidden = set(self.driver.execute_script(
            "return Array.from(document.querySelectorAll('#eg-map g.entity.eg-hidden')).map(e => e.id);"))
        self.assertEqual(hidden, {"entity-" + token(p) for p in places})
        expected = {"relation-" + token(r["id"]) for r in self.graph["relations"]
                    if r["source"] not in places and r["target"] not in places}
        self.assertEqual(self.visible_relations(), expected)
        box("kind", "place").click()
        # Type: one relation type off.
        first = self.graph["relations"][0]["type"]
        box("type", first).click()
        expected = {"relation-" + token(r["id"]) for r in self.graph["relations"] if r["type"] != first}
        self.assertEqual(self.visible_relations(), expected)
        box("type", first).click()
        self.assertEqual(len(self.visible_relations()), everything)
        self.assertEqual(self.console_errors(), [])

    def test_dash_patterns_reach_the_map_through_the_page_style_sheet(self):
        dashes = self.driver.execute_script(
            "var p = document.querySelector('#eg-map g.relation.line-claimed path');"
            "return p ? getComputedStyle(p).strokeDasharray : null;")
        self.assertEqual(dashes.replace("px", "").replace(" ", ""), "4,3")
        self.assertEqual(self.console_errors(), [])


class HostileMapTests(MapTestCase):
    page = "hostile.html"
    graph_file = HOSTILE_JSON

    def test_hostile_text_is_text_and_no_script_runs(self):
        self.assertIsNone(self.driver.execute_script("return window.egPwned"))
        self.assertEqual(self.driver.title, self.graph["title"])
        # Exactly the page's two script blocks; no element came from user text.
        self.assertEqual(len(self.driver.find_elements(By.TAG_NAME, "script")), 2)
        self.assertEqual(len(self.driver.find_elements(By.TAG_NAME, "img")), 0)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "#eg-map svg svg")), 0)
        self.assertEqual(len(self.driver.find_elements(By.TAG_NAME, "meta")), 4)  # the page's own
        self.assertEqual(len(self.driver.find_elements(By.ID, "eg-data")), 1)

        by_id = {e["id"]: e for e in self.graph["entities"]}
        box = self.driver.find_element(By.ID, "eg-search")
        # Markup typed into the box is text too. (A part such as "= 'img'" no longer singles the
        # entity out: its words are all in the other entity's alias as well.)
        box.send_keys(by_id["img-tag"]["name"])
        first = self.driver.find_element(By.CSS_SELECTOR, "#eg-results li")
        self.assertEqual(first.text, by_id["img-tag"]["name"])
        box.send_keys(Keys.ENTER)
        heading = self.driver.find_element(By.CSS_SELECTOR, "#eg-details h3").text
        self.assertEqual(heading, by_id["img-tag"]["name"])

        self.driver.find_element(By.ID, "eg-fit").click()
        node = self.driver.find_element(By.CSS_SELECTOR, "#entity-script-tag text")
        ActionChains(self.driver).move_to_element(node).perform()
        tooltip = self.driver.find_element(By.ID, "eg-tooltip").text
        self.assertIn(by_id["script-tag"]["name"], tooltip)
        self.assertIn("C:\\orders\\new", tooltip)
        node.click()
        details = self.driver.find_element(By.ID, "eg-details")
        # The javascript: source URL was not made a link.
        self.assertEqual(details.find_elements(By.TAG_NAME, "a"), [])
        self.assertIn("<i>¶1</i>", details.text)
        self.screenshot("hostile")
        # A quoted link cannot leave its attribute; a plain click selects instead of opening it.
        windows = len(self.driver.window_handles)
        self.driver.find_element(By.CSS_SELECTOR, "#entity-quoted-url text").click()
        self.assertEqual(len(self.driver.window_handles), windows)
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "#eg-details h3").text, by_id["quoted-url"]["name"])
        link = self.driver.find_element(By.CSS_SELECTOR, "#eg-details a").get_attribute("href")
        self.assertTrue(link.startswith("https://example.org/%22%3E%3Cmeta"), link)
        self.assertTrue(self.driver.current_url.endswith("hostile.html"))
        self.assertIsNone(self.driver.execute_script("return window.egPwned"))
        self.assertEqual(self.console_errors(), [])


if __name__ == "__main__":
    try:
        unittest.main(verbosity=2)
    except WebDriverException as error:
        print("browser-test: the browser could not be driven: %s" % error, file=sys.stderr)
        sys.exit(1)
