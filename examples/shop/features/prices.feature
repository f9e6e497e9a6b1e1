Feature: Prices keep flowing, or say that they stopped
  The feed publishes price.eur and price.usd every 100-200 ms, cached for 1 second. The buyer (on its own link to
  the feed) and the front end (on another) keep the last price of each symbol. What their users care about: prices
  are never older than they look (the shop marks a price older than 1 second stale, the buyer tells whether its
  prices are fresh), they never go back in sequence, and they come back by themselves when the fault is over.

  Background:
    Given the topology "shop" is running

  Scenario: The buyer and the shop get fresh prices, in order
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":true,"pricesInOrder":true}'
    And a call from process "client/buyer" to service "shop" with method "prices" and arguments '{}' answers '{"eur":{"stale":false},"usd":{"stale":false}}'
    And every invariant holds

  Scenario: Prices stop while the buyer's link to the feed is cut, and resume by themselves when it heals
    Then a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":true}'
    When the link between "client" and "feed" is cut
    Then within 3 seconds process "client/buyer" no longer sees service "prices"
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":false}'
    When the link between "client" and "feed" heals
    Then within 6 seconds process "client/buyer" sees service "prices"
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":true,"pricesInOrder":true}'
    And every invariant holds

  Scenario: A frozen feed: the shop keeps quoting the last prices, marked stale; thawed, they are fresh again
    Then a call from process "client/buyer" to service "shop" with method "prices" and arguments '{}' answers '{"eur":{"stale":false},"usd":{"stale":false}}'
    When machine "feed" freezes
    Then within 4 seconds process "web/frontend" no longer sees service "prices"
    And a call from process "client/buyer" to service "shop" with method "prices" and arguments '{}' answers '{"eur":{"stale":true},"usd":{"stale":true}}'
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":false}'
    When machine "feed" thaws
    Then within 6 seconds process "web/frontend" sees service "prices"
    And a call from process "client/buyer" to service "shop" with method "prices" and arguments '{}' answers '{"eur":{"stale":false},"usd":{"stale":false}}'
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":true,"pricesInOrder":true}'
    And every invariant holds

  Scenario: The feed can no longer reach the front end (one-way): only the shop's prices go stale, the buyer's stay fresh
    Then a call from process "client/buyer" to service "shop" with method "prices" and arguments '{}' answers '{"eur":{"stale":false},"usd":{"stale":false}}'
    When "feed" can no longer reach "web"
    Then within 3 seconds process "web/frontend" no longer sees service "prices"
    And a call from process "client/buyer" to service "shop" with method "prices" and arguments '{}' answers '{"eur":{"stale":true},"usd":{"stale":true}}'
    And a call from process "client/buyer" to service "buyer" with method "status" and arguments '{}' answers '{"pricesFresh":true}'
    When the network heals
    Then within 6 seconds process "web/frontend" sees service "prices"
    And a call from process "client/buyer" to service "shop" with method "prices" and arguments '{}' answers '{"eur":{"stale":false},"usd":{"stale":false}}'
    And every invariant holds
