Feature: The front end when the store is out of reach
  The store's "orders" has audience "database": the front end reaches it over the database group, and nobody in
  the default group ever sees it. When the store cannot be reached, the front end does not keep the buyer
  waiting: with no store in sight it answers FAILURE 46 (SERVICE_UNAVAILABLE) at once, and it never waits for the
  store longer than its own budget of 1 second (FAILURE 47 or 57: the store may have taken the order, so the
  buyer sends it again with the same id). When the store is back, orders go through again, each once.

  Background:
    Given the topology "shop" is running

  Scenario: While the store is cut off, the front end answers SERVICE_UNAVAILABLE at once; the buyer never sees the store
    Then within 5 seconds process "web/frontend" sees service "orders"
    And for 1 second process "client/buyer" never sees service "orders"
    When the link between "web" and "store" is cut
    Then within 3 seconds process "web/frontend" no longer sees service "orders"
    When process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"cut-1","item":"book","qty":1}'
    Then the answer fails with "46"
    And the answer came within 500 ms
    When the link between "web" and "store" heals
    Then within 6 seconds process "web/frontend" sees service "orders"
    And a call from process "client/buyer" to service "shop" with method "place" and arguments '{"id":"cut-1","item":"book","qty":1}' answers '{"accepted":true,"id":"cut-1"}'
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":16}'
    And for 1 second process "client/buyer" never sees service "orders"
    And every invariant holds

  Scenario: A blackholed store link: the front end answers within its budget, then SERVICE_UNAVAILABLE once the link is dead
    Then within 5 seconds process "web/frontend" sees service "orders"
    When the link between "web" and "store" is blackholed
    And process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"bh-1","item":"lamp","qty":1}'
    Then the answer came within 2 seconds
    And within 3 seconds process "web/frontend" no longer sees service "orders"
    When process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"bh-2","item":"lamp","qty":1}'
    Then the answer fails with "46"
    And the answer came within 500 ms
    When the network heals
    Then within 6 seconds process "web/frontend" sees service "orders"
    And a call from process "client/buyer" to service "shop" with method "place" and arguments '{"id":"bh-2","item":"lamp","qty":1}' answers '{"accepted":true,"id":"bh-2"}'
    And every invariant holds

  Scenario: The store cannot answer (one-way): whether or not it took the order, placing it again leaves it there once
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15}'
    When "store" can no longer reach "web"
    And process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"gift-1","item":"plant","qty":1}'
    Then the answer came within 2 seconds
    When the network heals
    Then within 6 seconds process "web/frontend" sees service "orders"
    And a call from process "client/buyer" to service "shop" with method "place" and arguments '{"id":"gift-1","item":"plant","qty":1}' answers '{"accepted":true,"id":"gift-1"}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":16}'
    And every invariant holds

  Scenario: The store's machine shuts down: withdrawn at once, the front end refuses orders until it is back with all of them
    Then a call from process "client/buyer" to service "shop" with method "get" and arguments '{"id":"order-1"}' answers '{"id":"order-1","item":"lamp","qty":2}'
    When machine "store" shuts down
    Then within 1 second process "web/frontend" no longer sees service "orders"
    When process "client/buyer" calls service "shop" with method "count" and arguments '{}'
    Then the answer fails with "46"
    When machine "store" starts again
    Then within 8 seconds process "web/frontend" sees service "orders"
    And a call from process "client/buyer" to service "shop" with method "get" and arguments '{"id":"order-1"}' answers '{"id":"order-1","item":"lamp","qty":2}'
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":15}'
    And every invariant holds
