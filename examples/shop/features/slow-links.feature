Feature: Slow links make the shop slower, not wrong
  Latency on a link delays every frame on it, heartbeats included, but does not break it. Orders still go
  through within the front end's 1-second budget for the store, the buyer still places each of its orders once,
  and prices still arrive in order.

  Background:
    Given the topology "shop" is running

  Scenario: With 150 ms of latency between the front end and the store, an order is still answered within 1 second
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15,"rejected":[]}'
    When the link between "web" and "store" gets 150 ms of latency
    And process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"slow-1","item":"book","qty":1}'
    Then the answer contains '{"accepted":true,"id":"slow-1"}'
    And the answer came within 1 second
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":16}'
    And within 1 second "web/exchange-database" and "store/exchange-database" share exactly one link
    And every invariant holds

  Scenario: With latency and jitter on the buyer's link, every order is placed once and prices stay in order
    When the link between "client" and "web" gets 100 ms of latency with 50 ms of jitter
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15,"rejected":[]}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":15}'
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":true,"pricesInOrder":true}'
    And within 1 second "client" and "web" share exactly one link
    And every invariant holds
