// `navigator`: what a script may learn of the machine it runs on, the
// fields worker-pool libraries read (hardwareConcurrency above all).
//
// Spec: https://html.spec.whatwg.org/multipage/system-state.html#the-navigator-object
//       https://html.spec.whatwg.org/multipage/workers.html#the-workernavigator-object

import { primordials } from "ext:core/mod.js";
import { op_navigator } from "ext:core/ops";
import { illegalConstructorKey, webidl } from "ext:entangle/00_web.js";

const { ObjectDefineProperty, ObjectFreeze } = primordials;

/** The attributes shared by `Navigator` and `WorkerNavigator`. */
function navigatorClass(name) {
  const klass = class {
    #info;

    constructor(key = undefined, info = undefined) {
      if (key !== illegalConstructorKey) {
        webidl.illegalConstructor();
      }
      this.#info = info;
    }

    static #infoOf(navigator) {
      if (!(#info in navigator)) {
        throw new TypeError("Illegal invocation");
      }
      return navigator.#info;
    }

    // https://html.spec.whatwg.org/multipage/workers.html#dom-navigator-hardwareconcurrency
    get hardwareConcurrency() {
      return klass.#infoOf(this).hardwareConcurrency;
    }

    // https://html.spec.whatwg.org/multipage/system-state.html#dom-navigator-useragent
    get userAgent() {
      return klass.#infoOf(this).userAgent;
    }

    // https://html.spec.whatwg.org/multipage/system-state.html#dom-navigator-platform
    get platform() {
      return klass.#infoOf(this).platform;
    }

    // https://html.spec.whatwg.org/multipage/system-state.html#dom-navigator-language
    get language() {
      klass.#infoOf(this);
      return LANGUAGES[0];
    }

    get languages() {
      klass.#infoOf(this);
      return LANGUAGES;
    }
  };
  ObjectDefineProperty(klass, "name", { __proto__: null, value: name });
  webidl.configureInterface(klass);
  return klass;
}

/** No environment is read: every script sees the same language. */
const LANGUAGES = ObjectFreeze(["en-US"]);

const Navigator = navigatorClass("Navigator");
const WorkerNavigator = navigatorClass("WorkerNavigator");

/** This scope's `navigator`: a `WorkerNavigator` in a worker. */
function createNavigator(inWorker) {
  const { 0: hardwareConcurrency, 1: userAgent, 2: platform } = op_navigator();
  const info = ObjectFreeze({ hardwareConcurrency, userAgent, platform });
  return new (inWorker ? WorkerNavigator : Navigator)(illegalConstructorKey, info);
}

export { createNavigator, Navigator, WorkerNavigator };
