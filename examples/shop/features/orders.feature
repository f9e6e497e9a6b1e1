Feature: Orders are kept, and never doubled
  The buyer places order-1 … order-15 through the front end and sends an order again, with the same id, until it
  is accepted. The store answers an order only once it is in its journal on disk, and is idempotent by id. So
  whatever crashes, every order the buyer was told accepted is in the store exactly once: none lost, none twice.

  Background:
    Given the topology "shop" is running

  Scenario: The store's machine crashes while the buyer is placing orders; started again, it has each order once
    Then within 5 seconds process "web/frontend" sees service "orders"
    When machine "store" crashes
    Then within 3 seconds process "web/frontend" no longer sees service "orders"
    When machine "store" starts again
    Then within 8 seconds process "web/frontend" sees service "orders"
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15,"rejected":[]}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":15}'
    And a call from process "client/buyer" to service "shop" with method "get" and arguments '{"id":"order-1"}' answers '{"id":"order-1","item":"lamp","qty":2}'
    And every invariant holds

  Scenario: The front end's machine crashes while the buyer is placing orders; the buyer goes on when it is back
    Then within 5 seconds process "client/buyer" sees service "shop"
    When machine "web" crashes
    Then within 3 seconds process "client/buyer" no longer sees service "shop"
    When process "client/buyer" calls service "shop" with method "count" and arguments '{}'
    Then the answer fails with "SERVICE_UNAVAILABLE"
    When machine "web" starts again
    Then within 8 seconds process "client/buyer" sees service "shop"
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15,"rejected":[]}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":15}'
    And every invariant holds

  Scenario: The store's process crashes after the orders are in; started again, it reads them all back
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15}'
    When process "store/orders" crashes
    Then within 3 seconds process "web/frontend" no longer sees service "orders"
    When process "store/orders" starts again
    Then a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":15}'
    And a call from process "client/buyer" to service "shop" with method "get" and arguments '{"id":"order-15"}' answers '{"id":"order-15","item":"book","qty":1}'
    And every invariant holds

  Scenario: Placing an order again with its id answers the same and stores nothing; another order under that id is refused
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15}'
    When process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"order-7","item":"mug","qty":2}'
    Then the answer contains '{"accepted":true,"id":"order-7","duplicate":true}'
    When process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"order-7","item":"mug","qty":5}'
    Then the answer fails with "409"
    When process "client/buyer" calls service "shop" with method "place" and arguments '{"id":"gift-1","item":"plant","qty":1}'
    Then the answer contains '{"accepted":true,"id":"gift-1"}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":16}'
    And every invariant holds

  Scenario: The buyer's machine crashes and starts again: it places every order again, and each is a duplicate
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15}'
    When machine "client" crashes
    And machine "client" starts again
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"done":true,"confirmed":15,"duplicates":15}'
    And a call from process "client/buyer" to service "shop" with method "count" and arguments '{}' answers '{"count":15}'
    And every invariant holds
