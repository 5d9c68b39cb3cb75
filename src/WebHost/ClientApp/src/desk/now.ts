// One clock for every countdown on the page, ticking each second while something shows it.
import { onBeforeUnmount, onMounted, ref } from "vue";

const now = ref(Date.now());
let users = 0;
let timer: number | undefined;

export function useNow() {
  onMounted(() => {
    if (users++ === 0) timer = window.setInterval(() => (now.value = Date.now()), 1000);
  });
  onBeforeUnmount(() => {
    if (--users === 0) window.clearInterval(timer);
  });
  return now;
}
